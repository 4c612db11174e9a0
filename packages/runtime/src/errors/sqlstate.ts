/** PostgreSQL SQLSTATE codes the runtime maps to gRPC statuses. */
export const SQLSTATE = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  readOnlyTransaction: "25006",
  serializationFailure: "40001",
  deadlockDetected: "40P01",
  adminShutdown: "57P01",
  crashShutdown: "57P02",
  cannotConnectNow: "57P03",
  tooManyConnections: "53300",
} as const;

// Client-side connection failures from node:net and postgres.js, by `error.code`.
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * The `code` of the error or of the first error in its `cause` chain that has one. Drizzle
 * wraps driver errors (DrizzleQueryError) with the original as `cause`; postgres.js
 * (`PostgresError`) and PGlite (`DatabaseError`) both put the SQLSTATE in `code`.
 */
export function findErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * True for SQLSTATE class 08 (connection exception), server shutdown codes, and "too many
 * connections" (the server is full for now: a retry may find a free slot).
 */
export function isUnavailableCode(code: string): boolean {
  return (
    code.startsWith("08") ||
    code === SQLSTATE.tooManyConnections ||
    code === SQLSTATE.adminShutdown ||
    code === SQLSTATE.crashShutdown ||
    code === SQLSTATE.cannotConnectNow
  );
}

/**
 * True for a client-side connection failure (node:net, postgres.js). Any library's socket
 * fails with these codes, so they do not say by themselves that the database is down.
 */
export function isConnectionErrorCode(code: string): boolean {
  return CONNECTION_ERROR_CODES.has(code);
}
