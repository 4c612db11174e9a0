import { REQUEST_STATUSES } from "@grpc-cfg/runtime";
import type { LogFilter, RequestLogEntry, Store } from "@grpc-cfg/store";
import type { CommandModule } from "yargs";
import { callName } from "./call-name.js";
import { followLogs, LATE_COMMIT_WINDOW_MS } from "./logs-follow.js";
import {
  columnWidths,
  formatNumber,
  formatTime,
  printJson,
  renderRow,
  renderTable,
  write,
} from "./output.js";
import {
  durationFlag,
  integerFlag,
  LOOK_BACK,
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

function rows(entries: readonly RequestLogEntry[]): string[][] {
  return entries.map((entry) => [
    formatTime(entry.startedAt),
    callName(entry.service, entry.method),
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

/**
 * Column widths `--follow` keeps at least, since its header is printed before the calls it
 * lines up with: a timestamp, most service/method names, any status and code, durations of
 * minutes, and typical user and key names. Longer cells are cut with `…`; the error, last,
 * runs long.
 */
const FOLLOW_WIDTHS = [20, 40, 9, 4, 10, 12, 16, 0];

async function resolveFilter(store: Store, argv: LogsArgs): Promise<LogFilter> {
  const since = await durationFlag(argv.since, "--since", LOOK_BACK);
  return {
    ...(argv.service !== undefined ? { service: argv.service } : {}),
    ...(argv.method !== undefined ? { method: argv.method } : {}),
    ...(argv.status !== undefined ? { status: argv.status as LogFilter["status"] } : {}),
    ...(argv.user !== undefined ? { userId: (await store.users.get(argv.user)).id } : {}),
    ...(argv.key !== undefined ? { apiKeyId: argv.key } : {}),
    ...(since !== undefined ? { since: new Date(Date.now() - since) } : {}),
  };
}

/** Prints calls newer than `lastId` as they are logged: NDJSON, or rows `widths` wide. */
async function follow(
  store: Store,
  filter: LogFilter,
  lastId: number,
  widths: readonly number[] | undefined,
): Promise<void> {
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await followLogs({
      store,
      filter,
      afterId: lastId,
      signal: stopping.signal,
      print: async (entry) => {
        const [row] = rows([entry]);
        await write(widths && row ? `${renderRow(row, widths)}\n` : `${JSON.stringify(entry)}\n`);
      },
      warn: (line) => process.stderr.write(`${line}\n`),
    });
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
    const age = (await durationFlag(argv["older-than"], "--older-than", LOOK_BACK)) ?? 0;
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
          describe: `Keep printing new calls until Ctrl+C; includes calls committed up to ${LATE_COMMIT_WINDOW_MS / 1000} s late, and retries through database outages`,
        }),
    ),
  handler: async (argv) => {
    const limit =
      integerFlag(argv.limit, "--limit", {
        min: 1,
        max: 1000,
        hint: "e.g. --limit 200; --follow keeps printing newer calls",
      }) ?? 50;
    await durationFlag(argv.since, "--since", LOOK_BACK);
    integerFlag(argv.key, "--key", {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      hint: "see the key ids with `grpc-cfg keys list`",
    });
    await withStore(argv, async (store) => {
      const filter = await resolveFilter(store, argv);
      const page = await store.requestLogs.list({ ...filter, limit });
      const entries = [...page.items].reverse(); // oldest first, like tail
      const lastId = Math.max(0, ...entries.map((entry) => entry.id));
      if (argv.json && !argv.follow) return printJson(entries);
      const table = rows(entries);
      // Followed rows come after the header, so its widths are fixed now, wide enough for
      // the rows at hand and for typical ones to come.
      const widths = columnWidths(HEADERS, table).map((width, i) =>
        argv.follow ? Math.max(width, FOLLOW_WIDTHS[i] ?? 0) : width,
      );
      if (argv.json) for (const entry of entries) await write(`${JSON.stringify(entry)}\n`);
      else
        await write(
          entries.length === 0 && !argv.follow
            ? "no matching calls\n"
            : renderTable(HEADERS, table, widths),
        );
      if (argv.follow) await follow(store, filter, lastId, argv.json ? undefined : widths);
    });
  },
};
