import type { Logger, ResolvedConfig } from "@grpc-cfg/runtime";
import { openStore } from "@grpc-cfg/store";
import type { Store } from "@grpc-cfg/store";
import {
  dataDirLockedHint,
  isStoreError,
  migrationWaitStopped,
  storeErrorToCliError,
} from "../util/store-errors.js";

/** Opens the store; its background reports (flush retries, pruning) go to `logger`. */
export async function openConfiguredStore(
  config: ResolvedConfig,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<Store> {
  try {
    return await openStore({
      logger,
      ...(signal ? { signal } : {}),
      ...(config.database.url
        ? { url: config.database.url }
        : { dataDir: config.database.dataDir }),
      migrate: config.database.migrate,
      migrationsFolders: config.database.migrations,
    });
  } catch (error) {
    const stopped = migrationWaitStopped(
      error,
      signal,
      "not started",
      "another process is migrating this database; start the server again later",
    );
    if (stopped) throw stopped;
    throw isStoreError(error) && error.code === "data-dir-locked"
      ? storeErrorToCliError(error, dataDirLockedHint(config.monitor))
      : storeErrorToCliError(error);
  }
}

/**
 * Allowed (one box may be all there is), but in a container a missing DATABASE_URL would
 * put the keys and the log on a filesystem that goes with the container: said at start.
 */
export function warnIfEmbeddedInProduction(store: Store, logger: Logger): void {
  if (store.kind !== "pglite" || process.env["NODE_ENV"] !== "production") return;
  logger.warn(
    `NODE_ENV is production but no database URL is set: the request log and API keys ` +
      `live in the embedded database in ${store.target}; set DATABASE_URL (or ` +
      `database.url) to use PostgreSQL`,
    { dataDir: store.target },
  );
}
