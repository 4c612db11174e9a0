import type { CommandModule } from "yargs";
import { callName } from "./call-name.js";
import { formatNumber, formatTime, printJson, renderTable, write } from "./output.js";
import { withStore, withStoreOptions, type StoreArgs } from "./store-args.js";
import { CliError } from "../../util/cli-error.js";

interface StatsArgs extends StoreArgs {
  hours: number;
  service?: string;
}

const MAX_HOURS = 24 * 400;

/** `grpc-cfg stats [--hours 24] [--service S]`: totals, success rate and latency percentiles. */
export const statsCommand: CommandModule<object, StatsArgs> = {
  command: "stats",
  describe: "Request statistics: totals, success rate, latency percentiles per method",
  builder: (yargs) =>
    withStoreOptions(
      yargs
        .option("hours", { type: "number", default: 24, describe: "Window ending now, in hours" })
        .option("service", { type: "string", describe: "Only this service" }),
    ),
  handler: async (argv) => {
    if (!Number.isFinite(argv.hours) || argv.hours <= 0 || argv.hours > MAX_HOURS) {
      throw new CliError(
        `--hours must be a number above 0 and at most ${MAX_HOURS}, got ${String(argv.hours)}`,
        { hint: "e.g. --hours 1, or --hours 168 for a week", exitCode: 2 },
      );
    }
    await withStore(argv, async (store) => {
      const filter = {
        hours: argv.hours,
        ...(argv.service !== undefined ? { service: argv.service } : {}),
      };
      const overall = await store.requestLogs.statistics(filter);
      const methods = await store.requestLogs.methodStatistics(filter);
      if (argv.json) return printJson({ hours: argv.hours, overall, methods });
      const rate = overall.successRate === null ? "-" : `${formatNumber(overall.successRate, 2)}%`;
      await write(
        `window: ${formatTime(overall.from)} .. ${formatTime(overall.to)} (${argv.hours}h)\n` +
          `calls: ${overall.total}  ok: ${overall.successful}  errors: ${overall.errors}  ` +
          `cancelled: ${overall.cancelled}  timeouts: ${overall.timeouts}  success rate: ${rate}\n` +
          `duration ms: avg ${formatNumber(overall.avgDurationMs)}  p50 ${formatNumber(overall.p50DurationMs)}  ` +
          `p95 ${formatNumber(overall.p95DurationMs)}  p99 ${formatNumber(overall.p99DurationMs)}  max ${formatNumber(overall.maxDurationMs)}\n`,
      );
      if (methods.length === 0) return;
      await write("\n");
      await write(
        renderTable(
          ["service/method", "calls", "ok %", "errors", "avg ms", "p50", "p95", "p99", "last call"],
          methods.map((row) => [
            callName(row.service, row.method),
            String(row.total),
            formatNumber(row.successRate, 2),
            String(row.errors),
            formatNumber(row.avgDurationMs),
            formatNumber(row.p50DurationMs),
            formatNumber(row.p95DurationMs),
            formatNumber(row.p99DurationMs),
            formatTime(row.lastRequestAt),
          ]),
        ),
      );
    });
  },
};
