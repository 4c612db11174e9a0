import type { CommandModule } from "yargs";
import { formatTime, printJson, renderTable, write } from "./output.js";
import { withStore, withStoreOptions, type StoreArgs } from "./store-args.js";

interface StatusArgs extends StoreArgs {
  all?: boolean;
}

/** `grpc-cfg status [--all]`: server instances sharing the database, with dead ones marked stale. */
export const statusCommand: CommandModule<object, StatusArgs> = {
  command: "status",
  describe: "Show the server instances registered in the database",
  builder: (yargs) =>
    withStoreOptions(
      yargs.option("all", { type: "boolean", describe: "Include stopped instances" }),
    ),
  handler: (argv) =>
    withStore(argv, async (store, config) => {
      const { formatDuration } = await import("@grpc-cfg/store");
      const instances = await store.instances.list({
        staleAfterMs: config.instance.staleAfterMs,
        includeStopped: argv.all ?? false,
      });
      if (argv.json)
        return printJson({ database: { kind: store.kind, target: store.target }, instances });
      await write(`database: ${store.kind} ${store.target}\n`);
      if (instances.length === 0) {
        await write(
          argv.all
            ? "no server instances registered\n"
            : "no running server instances (--all shows stopped ones)\n",
        );
        return;
      }
      await write(
        renderTable(
          ["id", "host", "pid", "listen", "status", "last heartbeat", "started", "services"],
          instances.map((instance) => [
            instance.id.slice(0, 8),
            instance.hostName,
            String(instance.pid),
            instance.port === null
              ? (instance.address ?? "-")
              : `${instance.address ?? ""}:${instance.port}`,
            instance.stale ? "stale" : instance.status,
            `${formatDuration(instance.heartbeatAgeMs)} ago`,
            formatTime(instance.startedAt),
            String(instance.services.length),
          ]),
        ),
      );
    }),
};
