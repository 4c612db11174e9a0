import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import type { Logger } from "../logging/logger.js";
import { answerGatherRequests } from "./cluster-gather.js";
import { workerSlotEnv } from "./worker-slot.js";
import { isMessage, listening, signal, stoppedCleanly, waitListening } from "./worker-protocol.js";
import type { RunWorkersOptions } from "./workers.js";

/**
 * Hands each worker that exits without stopping cleanly to `onWorkerDeath`, with the instance
 * id it reported. `settled()` waits for the calls still running.
 */
export function deathReports(options: RunWorkersOptions, logger: Logger) {
  const pending = new Set<Promise<void>>();
  const onWorkerDeath = options.onWorkerDeath;
  return {
    watch(worker: Worker, slot: number): void {
      if (!onWorkerDeath) return;
      let instanceId: string | null = null;
      worker.on("message", (message: unknown) => {
        if (isMessage(message) && message.type === "grpc-cfg:instance") instanceId = message.id;
      });
      worker.once("exit", (code: number | null, signal: string | null) => {
        if (stoppedCleanly(worker, code)) return;
        const pid = worker.process.pid ?? 0;
        const call: Promise<void> = Promise.resolve()
          .then(() => onWorkerDeath({ pid, slot: slot + 1, code, signal, instanceId }))
          .catch((error: unknown) =>
            logger.warn("could not record a dead worker", {
              pid,
              instanceId,
              error: String(error),
            }),
          )
          .finally(() => pending.delete(call));
        pending.add(call);
      });
    },
    settled: () => Promise.all(pending).then(() => undefined),
  };
}

/** Forks the worker for `workers[slot]` (0-based), the `replacements`-th to fill it. */
export type Fork = (slot: number, replacements: number) => Worker;

/** Forks the worker for `workers[index]`, telling it its slot (1-based). */
export function forkInSlot(index: number, replacements: number, logger: Logger): Worker {
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
export function superviseWorkers(
  workers: Worker[],
  fork: Fork,
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
    const worker = fork(slot, replacements[slot]);
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
      if (stopped || stoppedCleanly(worker, code)) return;
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
