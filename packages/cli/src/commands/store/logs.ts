import { REQUEST_STATUSES } from "@grpc-cfg/runtime";
import type { LogFilter, RequestLogEntry, Store } from "@grpc-cfg/store";
import type { CommandModule } from "yargs";
import { formatNumber, formatTime, printJson, renderTable, write } from "./output.js";
import {
  durationFlag,
  integerFlag,
  withStore,
  withStoreOptions,
  type StoreArgs,
} from "./store-args.js";

interface LogsArgs extends StoreArgs {
  service?: string;
  method?: string;
  status?: string;
  user?: string;
  key?: number;
  since?: string;
  limit?: number;
  follow?: boolean;
}

interface PruneArgs extends StoreArgs {
  "older-than": string;
}

const FOLLOW_POLL_MS = 1_000;

function rows(entries: readonly RequestLogEntry[]): string[][] {
  return entries.map((entry) => [
    formatTime(entry.startedAt),
    `${entry.service}/${entry.method}`,
    entry.status,
    String(entry.grpcCode),
    `${formatNumber(entry.durationMs)}ms`,
    entry.username ?? (entry.userId === null ? "-" : `#${entry.userId}`),
    entry.apiKeyName ??
      (entry.apiKeyId === null ? (entry.authMethod ?? "-") : `#${entry.apiKeyId}`),
    entry.errorMessage ?? "",
  ]);
}

const HEADERS = ["time", "call", "status", "code", "duration", "user", "key", "error"];

async function resolveFilter(store: Store, argv: LogsArgs): Promise<LogFilter> {
  const since = await durationFlag(argv.since, "--since");
  return {
    ...(argv.service !== undefined ? { service: argv.service } : {}),
    ...(argv.method !== undefined ? { method: argv.method } : {}),
    ...(argv.status !== undefined ? { status: argv.status as LogFilter["status"] } : {}),
    ...(argv.user !== undefined ? { userId: (await store.users.get(argv.user)).id } : {}),
    ...(argv.key !== undefined ? { apiKeyId: argv.key } : {}),
    ...(since !== undefined ? { since: new Date(Date.now() - since) } : {}),
  };
}

async function follow(
  store: Store,
  filter: LogFilter,
  lastId: number,
  json: boolean,
): Promise<void> {
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    while (!stopped) {
      const page = await store.requestLogs.list({ ...filter, afterId: lastId, limit: 1000 });
      for (const entry of page.items) {
        await write(json ? `${JSON.stringify(entry)}\n` : `${rows([entry])[0]?.join("  ")}\n`);
        lastId = entry.id;
      }
      if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

const prune: CommandModule<object, PruneArgs> = {
  command: "prune",
  describe: "Delete request logs older than a duration",
  builder: (yargs) =>
    withStoreOptions(
      yargs.option("older-than", { type: "string", demandOption: true, describe: "e.g. 30d" }),
    ),
  handler: async (argv) => {
    const age = (await durationFlag(argv["older-than"], "--older-than")) ?? 0;
    await withStore(argv, async (store) => {
      const before = new Date(Date.now() - age);
      const deleted = await store.requestLogs.prune({ before });
      if (argv.json) return printJson({ deleted, before });
      await write(`deleted ${deleted} request log row(s) from before ${formatTime(before)}\n`);
    });
  },
};

/** `grpc-cfg logs [filters] [--follow]` and `grpc-cfg logs prune --older-than 30d`. */
export const logsCommand: CommandModule<object, LogsArgs> = {
  command: "logs",
  describe: "Show recent gRPC calls from the request log (prune: delete old ones)",
  builder: (yargs) =>
    withStoreOptions(
      yargs
        .command(prune)
        .option("service", {
          type: "string",
          describe: "Fully qualified service, e.g. shop.v1.UserService",
        })
        .option("method", { type: "string", describe: "Rpc name, e.g. GetUser" })
        .option("status", { type: "string", choices: REQUEST_STATUSES, describe: "Outcome" })
        .option("user", { type: "string", describe: "Caller: username or id" })
        .option("key", { type: "number", describe: "API key id" })
        .option("since", {
          type: "string",
          describe: "Only calls started this long ago or later, e.g. 1h",
        })
        .option("limit", {
          type: "number",
          default: 50,
          describe: "How many recent calls (1-1000)",
        })
        .option("follow", {
          alias: "f",
          type: "boolean",
          describe: "Keep printing new calls until Ctrl+C",
        }),
    ),
  handler: async (argv) => {
    const limit = integerFlag(argv.limit, "--limit", 1, 1000) ?? 50;
    await durationFlag(argv.since, "--since");
    if (argv.key !== undefined) integerFlag(argv.key, "--key", 1, Number.MAX_SAFE_INTEGER);
    await withStore(argv, async (store) => {
      const filter = await resolveFilter(store, argv);
      const page = await store.requestLogs.list({ ...filter, limit });
      const entries = [...page.items].reverse(); // oldest first, like tail
      const lastId = Math.max(0, ...entries.map((entry) => entry.id));
      if (argv.json && !argv.follow) return printJson(entries);
      if (argv.json) for (const entry of entries) await write(`${JSON.stringify(entry)}\n`);
      else
        await write(
          entries.length === 0 && !argv.follow
            ? "no matching calls\n"
            : renderTable(HEADERS, rows(entries)),
        );
      if (argv.follow) await follow(store, filter, lastId, argv.json ?? false);
    });
  },
};
