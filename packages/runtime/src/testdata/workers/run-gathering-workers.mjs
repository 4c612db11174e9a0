// Starts 2 cluster workers that each answer the cluster topic "pid" with their pid (the one
// with cluster id SLOW_WORKER_ID only after 3 s). The primary prints {"pids"}; on SIGUSR2
// the first worker gathers "pid" from the cluster and prints {"gathered","slots","complete","ms"}.
import cluster from "node:cluster";
import { gatherFromCluster, provideToCluster, runWorkers } from "../../../dist/index.js";

const slowId = Number(process.env.SLOW_WORKER_ID ?? 0);

const run = await runWorkers(2, async () => {
  provideToCluster("pid", async () => {
    if (cluster.worker?.id === slowId) await new Promise((resolve) => setTimeout(resolve, 3000));
    return String(process.pid);
  });
  return { address: { host: "127.0.0.1", port: 1 }, shutdown: async () => {} };
});

if (run.role === "primary") {
  console.log(JSON.stringify({ pids: run.workerPids }));
  process.on("SIGTERM", () => void run.stop("SIGTERM").then(() => process.exit(0)));
} else {
  process.on("SIGTERM", () => void run.stop("SIGTERM"));
  process.on("SIGUSR2", async () => {
    const started = performance.now();
    const { answers, complete } = await gatherFromCluster("pid", () => String(process.pid));
    const ms = Math.round(performance.now() - started);
    const bySlot = [...answers].sort((a, b) => a.worker.slot - b.worker.slot);
    console.log(
      JSON.stringify({
        gathered: answers.map((a) => Number(a.value)).sort((a, b) => a - b),
        slots: bySlot.map((a) => ({ pid: Number(a.value), ...a.worker })),
        complete,
        ms,
      }),
    );
  });
}
