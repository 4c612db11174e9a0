import type { Database } from "@grpc-cfg/runtime";
import { sql } from "drizzle-orm";
import { sqlState, StoreError } from "../errors.js";

/** SQLSTATE of a statement cancelled by `statement_timeout` (or by a cancel request). */
export const QUERY_CANCELED = "57014";

/**
 * Runs `read` with PostgreSQL's `statement_timeout` set to `timeoutMs` for its statements
 * only (`SET LOCAL` inside one transaction, so a pooled connection goes back unchanged).
 * Figures over a month of request logs can take minutes; a dashboard that asks for them
 * every 15 s would otherwise pile up queries until the pool is exhausted. A cancelled read
 * becomes a StoreError `aborted` that names the limit; without `timeoutMs`, `read` runs as is.
 */
export async function boundedRead<T>(
  db: Database,
  timeoutMs: number | undefined,
  read: (db: Database) => Promise<T>,
): Promise<T> {
  if (timeoutMs === undefined) return read(db);
  const ms = Math.max(1, Math.ceil(timeoutMs));
  try {
    return await db.transaction(async (tx) => {
      // A bound parameter is not allowed in SET; `ms` is a positive integer.
      await tx.execute(sql.raw(`set local statement_timeout = ${ms}`));
      return read(tx);
    });
  } catch (error) {
    if (sqlState(error) === QUERY_CANCELED) {
      throw new StoreError(
        "aborted",
        `the request log query ran longer than ${ms} ms and was cancelled: ` +
          "ask for a shorter time range, or prune old logs",
        { cause: error },
      );
    }
    throw error;
  }
}

/** Checks a statement timeout option: a positive number of milliseconds, or undefined. */
export function checkTimeout(timeoutMs: number | undefined): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) {
    throw new StoreError(
      "invalid-argument",
      `statement timeout must be a positive number of milliseconds, got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}
