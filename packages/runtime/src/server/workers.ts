import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { createSilentLogger, type Logger } from "../logging/logger.js";
import { answerGatherRequests } from "./cluster-gather.js";
import type { ListenAddress } from "./create-server.js";
import { workerSlotEnv } from "./worker-slot.js";

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
  /**
   * Settles once this process's server has stopped, whoever asked: in a worker that is
   * usually the primary (over IPC), so the worker's own code learns of it here.
   */
  readonly stopped: Promise<void>;
}

/** Options of {@link runWorkers}. */
export interface RunWorkersOptions {
  /** Longest the primary waits for a worker to exit after asking it to stop. Default 30 s. */
  readonly stopTimeoutMs?: number;
  /** Longest the primary waits for all workers to listen. Default 60 s. */
  readonly startTimeoutMs?: number;
  /**
   * Where the primary reports workers that die and their replacements (default: nowhere).
   * A worker that exits without being asked to is replaced at once; if it ran for less than
   * `minUptimeMs`, after a delay that doubles with each such exit in a row (1 s … 30 s), so a
   * worker that crashes on every start does not spin.
   */
  readonly logger?: Logger;
  /** A worker that ran at least this long before dying is replaced at once. Default 10 s. */
  readonly minUptimeMs?: number;
  /** Longest delay before replacing a worker that keeps dying young. Default 30 s. */
  readonly maxRestartDelayMs?: number;
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
  const { stop, stopped } = onceStopping((reason) =>
    server.shutdown(reason).finally(() => worker.disconnect()),
  );
  worker.on("message", (message: unknown) => {
    if (isMessage(message) && message.type === "grpc-cfg:stop") void stop(message.reason);
  });
  // The primary went away: nobody will route calls here any more.
  worker.on("disconnect", () => void stop("primary disconnected"));
  process.send?.({ type: "grpc-cfg:listening", address: server.address } satisfies WorkerMessage);
  return { role: "worker", address: server.address, workerPids: [], stop, stopped };
}

/** `stop` that runs `shutdown` once, and the promise of its end. */
function onceStopping(
  shutdown: (reason: string) => Promise<void>,
): Pick<WorkerRun, "stop" | "stopped"> {
  let stopping: Promise<void> | null = null;
  let markStopped = () => {};
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  return {
    stop: (reason = "stop requested") => (stopping ??= shutdown(reason).finally(markStopped)),
    stopped,
  };
}

/** Workers that reported listening: only those have a handler for the stop message. */
const listening = new WeakSet<Worker>();

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
        listening.add(worker);
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
    const timer = setTimeout(() => signal(worker, "SIGKILL"), timeoutMs);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    // One still starting (a replacement, at shutdown) would not hear the message.
    if (worker.isConnected() && listening.has(worker))
      worker.send({ type: "grpc-cfg:stop", reason } satisfies WorkerMessage);
    else signal(worker, "SIGTERM");
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
      ...onceStopping((reason) => server.shutdown(reason)),
    };
  }
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const logger = options.logger ?? createSilentLogger();
  const workers: Worker[] = [];
  const stopAll = (reason = "stop requested") =>
    Promise.all(workers.map((w) => stopWorker(w, reason, stopTimeoutMs))).then(() => undefined);
  try {
    // Start one first so a port-0 bind picks the port the others then share.
    const first = forkInSlot(0, 0, logger);
    workers.push(first);
    const address = await waitListening(first, startTimeoutMs);
    const rest = Array.from({ length: count - 1 }, (_, i) => forkInSlot(i + 1, 0, logger));
    workers.push(...rest);
    await Promise.all(rest.map((w) => waitListening(w, startTimeoutMs)));
    const supervisor = superviseWorkers(workers, { ...options, startTimeoutMs, logger });
    return {
      role: "primary",
      address,
      workerPids: workers.map((w) => w.process.pid ?? 0),
      ...onceStopping((reason) => (supervisor.stop(), stopAll(reason))),
    };
  } catch (error) {
    await stopAll("start failed");
    throw error;
  }
}

/**
 * Signals the worker's process directly. `Worker.kill()` would first disconnect, which sends
 * over IPC: to a worker already on its way out (one that failed to start disconnects itself)
 * that write can fail, and the error would be emitted on the worker.
 */
function signal(worker: Worker, name: NodeJS.Signals): void {
  worker.process.kill(name);
}

/** Forks the worker for `workers[index]`, telling it its slot (1-based). */
function forkInSlot(index: number, replacements: number, logger: Logger): Worker {
  const worker = cluster.fork(workerSlotEnv({ slot: index + 1, replacements }));
  // An IPC write to a worker that is exiting fails (EPIPE, channel closed) with an "error"
  // event; unheard, it would crash the primary and every other worker with it. The worker's
  // exit is what matters, and its exit listener reports that.
  worker.on("error", (error: Error) =>
    logger.debug("message to a worker failed", { pid: worker.process.pid, error: error.message }),
  );
  return worker;
}

/**
 * Replaces workers that exit on their own (a crash, an OOM kill), keeping `workers` (shared
 * with the caller's stop) current. `stop()` ends the supervision before the caller stops them.
 */
function superviseWorkers(
  workers: Worker[],
  options: RunWorkersOptions & { startTimeoutMs: number; logger: Logger },
): { stop(): void } {
  const { logger } = options;
  const minUptimeMs = options.minUptimeMs ?? 10_000;
  const maxDelayMs = options.maxRestartDelayMs ?? 30_000;
  let stopped = false;
  let youngExits = 0;
  const timers = new Set<NodeJS.Timeout>();
  const replacements = workers.map(() => 0);

  const replace = (slot: number) => {
    if (stopped) return;
    replacements[slot] = (replacements[slot] ?? 0) + 1;
    const worker = forkInSlot(slot, replacements[slot], logger);
    workers[slot] = worker;
    watch(worker, slot);
    waitListening(worker, options.startTimeoutMs).then(
      () => logger.info("replacement worker listening", { pid: worker.process.pid }),
      (error: unknown) => {
        logger.error("replacement worker did not start", { error: String(error) });
        // One that hangs is killed; its exit brings the next replacement.
        if (!worker.isDead()) signal(worker, "SIGKILL");
      },
    );
  };

  const watch = (worker: Worker, slot: number) => {
    const started = Date.now();
    // Only workers that listen have figures to give; one still starting is left out.
    answerGatherRequests(worker, () => workers.filter((w) => listening.has(w)));
    worker.once("exit", (code: number | null, signal: string | null) => {
      // A worker that was serving and stopped gracefully (it disconnected first: its own
      // SIGINT on Ctrl+C, which may come before ours) meant to stop. One that never listened
      // disconnects too, after reporting its failed start, and one that stopped gracefully
      // after an uncaught exception exits 1: those are deaths like any other.
      const meantToStop = listening.has(worker) && worker.exitedAfterDisconnect && code === 0;
      if (stopped || meantToStop) return;
      const livedMs = Date.now() - started;
      youngExits = livedMs < minUptimeMs ? youngExits + 1 : 0;
      const delayMs = youngExits === 0 ? 0 : Math.min(maxDelayMs, 1000 * 2 ** (youngExits - 1));
      logger.error("worker exited; starting a replacement", {
        pid: worker.process.pid,
        code,
        signal,
        livedMs,
        replaceInMs: delayMs,
      });
      const timer = setTimeout(() => {
        timers.delete(timer);
        replace(slot);
      }, delayMs);
      timers.add(timer);
    });
  };

  workers.forEach(watch);
  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
