import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import type { ListenAddress } from "./create-server.js";

/** A started server as {@link runWorkers} needs it. */
export interface StartedServer {
  readonly address: ListenAddress;
  shutdown(reason?: string): Promise<void>;
}

/** What {@link runWorkers} returns in each process. */
export interface WorkerRun {
  /** `single`: count was 1, the server runs here; `primary`: forked the workers; `worker`. */
  readonly role: "single" | "primary" | "worker";
  readonly address: ListenAddress;
  /** Process ids of the workers (primary only). */
  readonly workerPids: readonly number[];
  /** Stops the server(s): in the primary, shuts every worker down gracefully and waits. */
  stop(reason?: string): Promise<void>;
}

/** Options of {@link runWorkers}. */
export interface RunWorkersOptions {
  /** Longest the primary waits for a worker to exit after asking it to stop. Default 30 s. */
  readonly stopTimeoutMs?: number;
  /** Longest the primary waits for all workers to listen. Default 60 s. */
  readonly startTimeoutMs?: number;
}

type WorkerMessage =
  | { readonly type: "grpc-cfg:listening"; readonly address: ListenAddress }
  | { readonly type: "grpc-cfg:failed"; readonly message: string }
  | { readonly type: "grpc-cfg:stop"; readonly reason: string };

function isMessage(value: unknown): value is WorkerMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    String((value as { type?: unknown }).type).startsWith("grpc-cfg:")
  );
}

async function runAsWorker(start: () => Promise<StartedServer>): Promise<WorkerRun> {
  const worker = cluster.worker as Worker;
  let server: StartedServer;
  try {
    server = await start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Then let go of the IPC channel: it alone would keep this process alive after the
    // caller has reported the error, and the primary would wait for it to exit.
    process.send?.(
      { type: "grpc-cfg:failed", message } satisfies WorkerMessage,
      undefined,
      {},
      () => worker.disconnect(),
    );
    throw error;
  }
  let stopping: Promise<void> | null = null;
  const stop = (reason = "stop requested") =>
    (stopping ??= server.shutdown(reason).finally(() => worker.disconnect()));
  worker.on("message", (message: unknown) => {
    if (isMessage(message) && message.type === "grpc-cfg:stop") void stop(message.reason);
  });
  // The primary went away: nobody will route calls here any more.
  worker.on("disconnect", () => void stop("primary disconnected"));
  process.send?.({ type: "grpc-cfg:listening", address: server.address } satisfies WorkerMessage);
  return { role: "worker", address: server.address, workerPids: [], stop };
}

function waitListening(worker: Worker, timeoutMs: number): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`worker ${worker.process.pid} did not start in ${timeoutMs} ms`),
      timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("exit", onExit);
    };
    const fail = (message: string) => {
      cleanup();
      reject(new Error(message));
    };
    const onMessage = (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === "grpc-cfg:listening") {
        cleanup();
        resolve(message.address);
      } else if (message.type === "grpc-cfg:failed") {
        fail(`worker ${worker.process.pid} failed to start: ${message.message}`);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`worker ${worker.process.pid} exited before listening (code ${code}, signal ${signal})`);
    worker.on("message", onMessage);
    worker.on("exit", onExit);
  });
}

function stopWorker(worker: Worker, reason: string, timeoutMs: number): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.kill("SIGKILL"), timeoutMs);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    if (worker.isConnected())
      worker.send({ type: "grpc-cfg:stop", reason } satisfies WorkerMessage);
    else worker.kill("SIGTERM");
  });
}

/**
 * Runs `count` server processes sharing one port through node:cluster (the primary owns the
 * listening socket and hands connections to workers; grpc-js has no SO_REUSEPORT). The
 * primary re-runs the current script as workers, so call this at the same point in every
 * process: in the primary it forks and waits until every worker listens (rejecting if one
 * fails); in a worker it calls `start()`. With `count` ≤ 1 it just calls `start()` here.
 * Port 0 works: all workers share the one port the first worker bound.
 */
export async function runWorkers(
  count: number,
  start: () => Promise<StartedServer>,
  options: RunWorkersOptions = {},
): Promise<WorkerRun> {
  if (cluster.isWorker) return runAsWorker(start);
  if (count <= 1) {
    const server = await start();
    return {
      role: "single",
      address: server.address,
      workerPids: [],
      stop: (r) => server.shutdown(r),
    };
  }
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const workers: Worker[] = [];
  const stopAll = (reason = "stop requested") =>
    Promise.all(workers.map((w) => stopWorker(w, reason, stopTimeoutMs))).then(() => undefined);
  try {
    // Start one first so a port-0 bind picks the port the others then share.
    const first = cluster.fork();
    workers.push(first);
    const address = await waitListening(first, options.startTimeoutMs ?? 60_000);
    const rest = Array.from({ length: count - 1 }, () => cluster.fork());
    workers.push(...rest);
    await Promise.all(rest.map((w) => waitListening(w, options.startTimeoutMs ?? 60_000)));
    let stopping: Promise<void> | null = null;
    return {
      role: "primary",
      address,
      workerPids: workers.map((w) => w.process.pid ?? 0),
      stop: (reason) => (stopping ??= stopAll(reason)),
    };
  } catch (error) {
    await stopAll("start failed");
    throw error;
  }
}
