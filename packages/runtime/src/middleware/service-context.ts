import type { ServerMiddleware } from "nice-grpc-common";
import type { DatabaseProvider } from "../contracts/database.js";
import type { ServiceContextExt } from "../context/service-context.js";
import { createMissingDatabase } from "../context/missing-database.js";
import type { Logger } from "../logging/logger.js";
import type { IdentityExt } from "./authentication.js";
import type { CallStateExt, RequestIdExt } from "./call-state.js";

/** Options of {@link createServiceContextMiddleware}. */
export interface ServiceContextOptions {
  /** Null when the server runs without a database: `ctx.db` then throws a clear error. */
  readonly database: DatabaseProvider | null;
  readonly logger: Logger;
}

const NO_DATABASE =
  "No database is configured: ctx.db is unavailable. Set database.url (or DATABASE_URL) or " +
  "pass a DatabaseProvider to createServer().";

/**
 * Builds the handler's {@link ServiceContextExt} from what earlier middleware found. The
 * database handle is the read-only one for ReadOnlyService and for read-only methods.
 */
export function createServiceContextMiddleware(
  options: ServiceContextOptions,
): ServerMiddleware<ServiceContextExt, IdentityExt & CallStateExt & RequestIdExt> {
  const missing = createMissingDatabase(NO_DATABASE);
  return async function* serviceContext(call, context) {
    const { callState, identity, requestId } = context;
    const route = callState.route;
    const readOnly = route !== null && (route.baseKind === "read-only" || route.policy.readOnly);
    const database = options.database;
    const db = database === null ? missing : readOnly ? database.readOnly : database.db;
    const ext: ServiceContextExt = {
      user: identity?.user ?? null,
      apiKey: identity?.apiKey ?? null,
      identity,
      requestId,
      db,
      log: options.logger.child({ requestId, path: call.method.path }),
      methodPolicy: route?.policy ?? null,
      clientAddress: callState.clientAddress,
    };
    return yield* call.next(call.request, { ...context, ...ext });
  };
}
