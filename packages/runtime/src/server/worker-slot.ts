import cluster from "node:cluster";

/**
 * Which of `serve --workers N`'s places a worker process fills. A worker that dies is
 * replaced in the same slot, so figures labelled by slot stay one series per place, and the
 * replacement count tells a dashboard how often that place was restarted.
 */
export interface WorkerSlot {
  /** 1 … N, fixed for the life of the server. */
  readonly slot: number;
  /** How many processes this slot had before the current one (0 for the first). */
  readonly replacements: number;
}

const SLOT_VARIABLE = "GRPC_CFG_WORKER_SLOT";
const REPLACEMENTS_VARIABLE = "GRPC_CFG_WORKER_REPLACEMENTS";

/** The environment the primary forks a worker with. */
export function workerSlotEnv(slot: WorkerSlot): Record<string, string> {
  return { [SLOT_VARIABLE]: String(slot.slot), [REPLACEMENTS_VARIABLE]: String(slot.replacements) };
}

/** This process's slot when it is a worker forked by `runWorkers`, else null. */
export function currentWorkerSlot(): WorkerSlot | null {
  // A process the worker spawns inherits the variables but is no cluster worker.
  if (!cluster.isWorker) return null;
  const slot = Number(process.env[SLOT_VARIABLE]);
  const replacements = Number(process.env[REPLACEMENTS_VARIABLE] ?? 0);
  if (!Number.isInteger(slot) || slot < 1) return null;
  return { slot, replacements: Number.isInteger(replacements) ? replacements : 0 };
}
