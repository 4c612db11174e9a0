import type { DatabaseProvider } from "../contracts/database.js";
import type { Identity } from "../contracts/identity.js";
import type { ServiceContextExt } from "../context/service-context.js";
import { lazyChildLogger } from "../context/lazy-logger.js";
import { createMissingDatabase } from "../context/missing-database.js";
import type { Logger } from "../logging/logger.js";
import type { RouteInfo } from "./call-state.js";

/** Options of {@link createServiceContextFactory}. */
export interface ServiceContextOptions {
  /** Null when the server runs without a database: `ctx.db` then throws a clear error. */
  readonly database: DatabaseProvider | null;
  readonly logger: Logger;
}

/** Builds the handler's {@link ServiceContextExt} for one call. */
export type ServiceContextFactory = (
  path: string,
  route: RouteInfo | null,
  identity: Identity | null,
  requestId: string,
  clientAddress: string | null,
) => ServiceContextExt;

const NO_DATABASE =
  "No database is configured: ctx.db is unavailable. Set database.url (or DATABASE_URL) or " +
  "pass a DatabaseProvider to createServer().";

/**
 * Builds the handler's {@link ServiceContextExt} from what the earlier steps found. The
 * database handle is the read-only one for ReadOnlyService and for read-only methods.
 */
export function createServiceContextFactory(options: ServiceContextOptions): ServiceContextFactory {
  const missing = createMissingDatabase(NO_DATABASE);
  const { database, logger } = options;
  return (path, route, identity, requestId, clientAddress) => {
    const readOnly = route !== null && (route.baseKind === "read-only" || route.policy.readOnly);
    const db = database === null ? missing : readOnly ? database.readOnly : database.db;
    return {
      user: identity?.user ?? null,
      apiKey: identity?.apiKey ?? null,
      identity,
      requestId,
      db,
      log: lazyChildLogger(logger, { requestId, path }),
      methodPolicy: route?.policy ?? null,
      clientAddress,
    };
  };
}
