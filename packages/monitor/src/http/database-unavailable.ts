import { findErrorCode, isConnectionErrorCode, isUnavailableCode } from "@grpc-cfg/runtime";

/**
 * True when `error` (or an error in its `cause` chain) says the database cannot be used right
 * now rather than that a query is wrong: no connection (ECONNREFUSED, postgres.js's
 * CONNECTION_CLOSED, …), SQLSTATE class 08 or a server shutting down (57P0x), or class 53,
 * insufficient resources ("too many connections", out of memory or disk). The monitor's data
 * routes talk to no other service, so a connection error there is the database's.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = findErrorCode(error);
  if (code === null) return false;
  return isConnectionErrorCode(code) || isUnavailableCode(code) || code.startsWith("53");
}
