import type { CommandModule } from "yargs";
import { formatTime, printJson, renderTable, write } from "./output.js";
import { withStore, withStoreOptions, type StoreArgs } from "./store-args.js";

interface StatusArgs extends StoreArgs {
  all?: boolean;
}

/**
 * Without --all, stale instances silent for longer than this are left out: every crash leaves
 * a row that never changes again, and on a long-lived deployment they would bury the live
 * ones. A day keeps last night's crash in view for the morning.
 */
const HIDE_STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * `grpc-cfg status [--all]`: server instances sharing the database, with dead ones marked
 * stale. By default, stopped instances and those stale for over a day are left out.
 */
export const statusCommand: CommandModule<object, StatusArgs> = {
  command: "status",
  describe: "Show the server instances registered in the database",
  builder: (yargs) =>
    withStoreOptions(
      yargs.option("all", {
        type: "boolean",
        describe: "Include stopped instances and those stale (dead) for over a day",
      }),
    ),
  handler: (argv) =>
    withStore(argv, async (store, config) => {
      const { formatDuration } = await import("@grpc-cfg/store");
      const listed = await store.instances.list({
        staleAfterMs: config.instance.staleAfterMs,
        includeStopped: argv.all ?? false,
      });
      const longDead = (instance: (typeof listed)[number]) =>
        instance.stale && instance.heartbeatAgeMs > HIDE_STALE_AFTER_MS;
      const instances = argv.all ? listed : listed.filter((instance) => !longDead(instance));
      const hidden = listed.length - instances.length;
      if (argv.json)
        return printJson({ database: { kind: store.kind, target: store.target }, instances });
      await write(`database: ${store.kind} ${store.target}\n`);
      const hiddenNote =
        hidden > 0
          ? `${hidden} stale instance${hidden === 1 ? "" : "s"} silent for over a day not shown (--all shows them)\n`
          : "";
      if (instances.length === 0) {
        await write(
          argv.all
            ? "no server instances registered\n"
            : `no running server instances (--all shows stopped ones)\n${hiddenNote}`,
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
            listenAddress(instance.address, instance.port),
            instance.stale
              ? "stale"
              : instance.exitedUncleanly
                ? "stopped (died)"
                : instance.status,
            `${formatDuration(instance.heartbeatAgeMs)} ago`,
            formatTime(instance.startedAt),
            String(instance.services.length),
          ]),
        ),
      );
      if (hiddenNote) await write(hiddenNote);
    }),
};

/** `host:port`, an IPv6 address in brackets (`[::1]:50051`) so the port reads apart from it. */
export function listenAddress(address: string | null, port: number | null): string {
  if (port === null) return address ?? "-";
  const host = address?.includes(":") ? `[${address}]` : (address ?? "");
  return `${host}:${port}`;
}
