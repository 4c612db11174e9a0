// Starts 2 cluster workers whose start fails, and handles the error the way the CLI does:
// caught and reported, the exit code set, nothing calling process.exit. The primary prints
// {"error","ms"} once runWorkers rejects; the test expects that well before the 30 s the
// primary would wait for a worker that never exits.
import cluster from "node:cluster";
import { runWorkers } from "../../../dist/index.js";

const started = performance.now();
try {
  await runWorkers(2, async () => {
    throw new Error("cannot connect to the database");
  });
} catch (error) {
  process.exitCode = 1;
  const message = error instanceof Error ? error.message : String(error);
  if (cluster.isPrimary) {
    console.log(JSON.stringify({ error: message, ms: Math.round(performance.now() - started) }));
  }
}
