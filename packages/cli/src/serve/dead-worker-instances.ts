import type { Logger, WorkerDeath } from "@grpc-cfg/runtime";

/** Longest the primary spends on one dead worker's row before leaving it to turn stale. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The primary's `onWorkerDeath` for `serve --workers N`: a worker killed (kill -9, OOM) cannot
 * mark its own instance row stopped, and `grpc-cfg status` and the monitor would show it
 * running until its heartbeat turned stale. The primary has no store of its own (it serves
 * nothing), so it opens a one-connection store for each death, marks the row stopped and
 * closes it. A database that is down or slow costs a warning, never the primary: the row
 * then turns stale as before.
 */
export function markDeadWorkerInstances(
  databaseUrl: string,
  logger: Logger,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): (death: WorkerDeath) => Promise<void> {
  return async ({ instanceId, pid, slot, code, signal }) => {
    if (instanceId === null) return; // It died before registering: there is no row.
    const fields = { instanceId, pid, worker: slot, code, signal };
    try {
      if (await markExited(databaseUrl, instanceId, logger, timeoutMs)) {
        logger.info("dead worker's server instance marked stopped (not a clean stop)", fields);
      }
    } catch (error) {
      logger.warn(
        "could not mark the dead worker's server instance stopped; it will show as stale",
        {
          ...fields,
          error: error instanceof Error ? error.message : String(error),
        },
      );
    }
  };
}

async function markExited(
  url: string,
  instanceId: string,
  logger: Logger,
  timeoutMs: number,
): Promise<boolean> {
  // Loaded on the first death only: the primary serves nothing and has no other use for it.
  const { openStore } = await import("@grpc-cfg/store");
  const work = openStore({
    url,
    // The workers migrated the schema; the primary must not wait on the migration lock.
    migrate: false,
    checkSchema: false,
    logger: logger.child({ component: "store" }),
    pool: {
      max: 1,
      readOnlyMax: 1,
      connectTimeoutSeconds: Math.max(1, Math.floor(timeoutMs / 2_000)),
      closeTimeoutSeconds: 1,
    },
  }).then(async (store) => {
    try {
      return await store.instances.markExited(instanceId);
    } finally {
      await store.close();
    }
  });
  // Past the time limit the work goes on alone and closes its store when it ends.
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the database did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
