// Starts the discovery fixtures on 127.0.0.1:0 in 2 cluster workers through the built
// runtime; the primary prints {"port","pids"}, then its log lines (JSON, about workers that
// die and their replacements), and stops the workers on SIGTERM. Every response carries the
// answering worker's pid in the `x-worker-pid` header, and its slot and how many processes
// the slot had before it in `x-worker-slot` (`2.1`). A worker sent SIGTERM stops gracefully;
// one sent SIGUSR2 stops gracefully and exits 1.
import cluster from "node:cluster";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createJsonLogger,
  currentWorkerSlot,
  createServer,
  createSilentLogger,
  discoverServices,
  loadManifest,
  resolveConfig,
  runWorkers,
} from "../../../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));

async function* workerPidHeader(call, context) {
  context.header.set("x-worker-pid", String(process.pid));
  const { slot, replacements } = currentWorkerSlot();
  context.header.set("x-worker-slot", `${slot}.${replacements}`);
  return yield* call.next(call.request, context);
}

// With FAIL_WORKER_ID set, the worker of that cluster id fails to start (3: the first
// replacement), as one would whose database is briefly unreachable.
const failId = Number(process.env.FAIL_WORKER_ID ?? 0);

const run = await runWorkers(
  2,
  async () => {
    if (cluster.worker?.id === failId) throw new Error("the database is unreachable");
    const manifest = await loadManifest(join(here, "../gen"));
    const { services } = await discoverServices({
      apps: [join(here, "../discovery/good")],
      services: manifest.services,
    });
    const config = resolveConfig(
      { server: { host: "127.0.0.1", port: 0 }, middleware: { after: [workerPidHeader] } },
      { env: {} },
    );
    const server = createServer({ config, manifest, services, logger: createSilentLogger() });
    const address = await server.listen();
    return { address, shutdown: (reason) => server.shutdown(reason) };
  },
  { logger: createJsonLogger({ write: (line) => process.stdout.write(line) }) },
).catch(() => null);

// A worker whose start failed reports it the way the CLI does: exit code, no crash.
if (run === null) process.exitCode = 1;
else if (run.role === "primary") {
  console.log(JSON.stringify({ port: run.address.port, pids: run.workerPids }));
  process.on("SIGTERM", () => {
    void run.stop("SIGTERM").then(() => process.exit(0));
  });
}
// A worker told to stop on its own (as the CLI's workers do on Ctrl+C) stops gracefully.
if (run?.role === "worker") process.on("SIGTERM", () => void run.stop("SIGTERM"));
// SIGUSR2: stops gracefully too, but exits 1, as the CLI's workers do after an uncaught
// exception.
if (run?.role === "worker") {
  process.on("SIGUSR2", () => {
    process.exitCode = 1;
    void run.stop("uncaught exception");
  });
}
