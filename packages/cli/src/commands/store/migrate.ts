import type { CommandModule } from "yargs";
import { migrationWaitStopped } from "../../util/store-errors.js";
import { printJson, renderTable, write } from "./output.js";
import { withStore, withStoreOptions, type StoreArgs } from "./store-args.js";

interface MigrateArgs extends StoreArgs {
  status?: boolean;
}

/**
 * `grpc-cfg migrate [--status]`: applies grpc-cfg's migrations, then the app's
 * (`database.migrations`). Safe to run from several processes at once on PostgreSQL.
 */
export const migrateCommand: CommandModule<object, MigrateArgs> = {
  command: "migrate",
  describe: "Apply pending database migrations (grpc-cfg's, then the app's)",
  builder: (yargs) =>
    withStoreOptions(
      yargs.option("status", {
        type: "boolean",
        describe: "Only show what is applied; change nothing",
      }),
    ),
  handler: async (argv) => {
    // Another process may hold the migration lock for minutes (an index build, a stuck CI
    // job): Ctrl-C or SIGTERM ends that wait cleanly. Once the lock is ours the migrations run
    // to the end; a second signal kills the process as usual.
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      await migrateOrReport(argv, stop.signal);
    } catch (error) {
      throw (
        migrationWaitStopped(
          error,
          stop.signal,
          "nothing was migrated",
          "another process is migrating this database; run grpc-cfg migrate again later",
        ) ?? error
      );
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};

async function migrateOrReport(argv: MigrateArgs, signal: AbortSignal): Promise<void> {
  await withStore(
    argv,
    async (store) => {
      const report = argv.status ? await store.migrationStatus() : await store.migrate({ signal });
      if (argv.json)
        return printJson({
          database: { kind: store.kind, target: store.target },
          folders: report,
        });
      await write(`database: ${store.kind} ${store.target}\n`);
      const rows = report.map((entry) => [
        entry.folder,
        entry.table,
        argv.status
          ? `${entry.applied}/${entry.total} applied`
          : `${entry.applied} applied now, ${entry.total} total`,
      ]);
      await write(
        renderTable(["folder", "tracking table", argv.status ? "state" : "result"], rows),
      );
      if (argv.status) {
        const pending = report.reduce((sum, entry) => sum + entry.total - entry.applied, 0);
        await write(pending === 0 ? "up to date\n" : `${pending} pending: run grpc-cfg migrate\n`);
      }
    },
    { migrate: false },
  );
}
