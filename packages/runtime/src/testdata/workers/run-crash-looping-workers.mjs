// Starts 2 cluster workers (no server: a start that returns at once); every worker forked
// after them fails to start, as one would whose database went away. The primary replaces
// them with no delay (maxRestartDelayMs 0), prints {"pids"} and then its log lines, and
// stops on SIGTERM. Each failed start races its worker's IPC channel closing against the
// primary's own messages to it: the primary must survive every one.
import cluster from "node:cluster";
import { createJsonLogger, runWorkers } from "../../../dist/index.js";

const run = await runWorkers(
  2,
  async () => {
    if ((cluster.worker?.id ?? 0) > 2) throw new Error("the database is unreachable");
    return { address: { host: "127.0.0.1", port: 1 }, shutdown: async () => {} };
  },
  {
    logger: createJsonLogger({ write: (line) => process.stdout.write(line) }),
    maxRestartDelayMs: 0,
  },
).catch(() => null);

if (run === null) process.exitCode = 1;
else if (run.role === "primary") {
  console.log(JSON.stringify({ pids: run.workerPids }));
  process.on("SIGTERM", () => void run.stop("SIGTERM").then(() => process.exit(0)));
} else {
  process.on("SIGTERM", () => void run.stop("SIGTERM"));
}
