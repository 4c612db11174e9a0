import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { createSilentLogger, type Logger } from "../logging/logger.js";
import type { ListenAddress } from "./create-server.js";
import { isMessage, listening, signal, waitListening } from "./worker-protocol.js";
import type { WorkerMessage } from "./worker-protocol.js";
import { deathReports, forkInSlot, superviseWorkers } from "./worker-supervision.js";
import type { Fork } from "./worker-supervision.js";

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

/** What {@link runWorkers} gives `start` in the process that runs it. */
export interface WorkerStart {
  /**
   * Tells the primary, over IPC, the id this worker registered itself under (its server
   * instance row), as soon as it has one. Should the worker then die without stopping
   * cleanly (kill -9, OOM), the primary passes the id to `onWorkerDeath`: the worker can no
   * longer say it stopped. Does nothing outside a cluster worker.
   */
  reportInstance(id: string): void;
}

/** A worker that exited without stopping cleanly, as the primary saw it. */
export interface WorkerDeath {
  readonly pid: number;
  /** Its `--workers` slot, 1 … N. */
  readonly slot: number;
  readonly code: number | null;
  readonly signal: string | null;
  /** What it last passed to {@link WorkerStart.reportInstance}; null if nothing. */
  readonly instanceId: string | null;
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
  /**
   * Called in the primary for each worker that exits without having stopped cleanly (a
   * crash, a kill, a failed start, a stop that timed out), e.g. to mark its instance row
   * stopped. A rejection is logged as a warning; the primary's `stop()` waits for pending
   * calls, so give the callback its own time limit.
   */
  readonly onWorkerDeath?: (death: WorkerDeath) => Promise<void> | void;
}

const notInCluster: WorkerStart = { reportInstance: () => {} };

async function runAsWorker(
  start: (context: WorkerStart) => Promise<StartedServer>,
): Promise<WorkerRun> {
  const worker = cluster.worker as Worker;
  let server: StartedServer;
  const context: WorkerStart = {
    // With a callback, a closed channel is reported to it instead of as a process "error".
    reportInstance: (id) =>
      void process.send?.(
        { type: "grpc-cfg:instance", id } satisfies WorkerMessage,
        undefined,
        {},
        () => {},
      ),
  };
  try {
    server = await start(context);
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
  start: (context: WorkerStart) => Promise<StartedServer>,
  options: RunWorkersOptions = {},
): Promise<WorkerRun> {
  if (cluster.isWorker) return runAsWorker(start);
  if (count <= 1) {
    const server = await start(notInCluster);
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
  const deaths = deathReports(options, logger);
  const fork: Fork = (slot, replacements) => {
    const worker = forkInSlot(slot, replacements, logger);
    deaths.watch(worker, slot);
    return worker;
  };
  const workers: Worker[] = [];
  const stopAll = (reason = "stop requested") =>
    Promise.all(workers.map((w) => stopWorker(w, reason, stopTimeoutMs))).then(deaths.settled);
  try {
    // Start one first so a port-0 bind picks the port the others then share.
    const first = fork(0, 0);
    workers.push(first);
    const address = await waitListening(first, startTimeoutMs);
    const rest = Array.from({ length: count - 1 }, (_, i) => fork(i + 1, 0));
    workers.push(...rest);
    await Promise.all(rest.map((w) => waitListening(w, startTimeoutMs)));
    const supervisor = superviseWorkers(workers, fork, { ...options, startTimeoutMs, logger });
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
