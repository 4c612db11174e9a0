import { DrizzleQueryError } from "drizzle-orm/errors";

/** Machine-readable reason of a {@link StoreError}. */
export type StoreErrorCode =
  | "invalid-argument"
  | "not-found"
  | "already-exists"
  | "failed-precondition"
  | "connection-failed"
  | "schema-outdated"
  | "migration-failed"
  | "data-dir-locked"
  | "misconfigured"
  | "aborted";

/**
 * An error the caller can act on: bad input, a missing row, an unreachable database. The
 * message names what is wrong and never contains secrets (passwords, keys, hashes).
 */
export class StoreError extends Error {
  /** What kind of failure this is; the CLI and the monitor map it to exit codes / HTTP codes. */
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StoreError";
    this.code = code;
  }
}

/** SQLSTATE of a database error from PGlite or postgres.js (possibly wrapped by Drizzle), if any. */
export function sqlState(error: unknown): string | undefined {
  for (
    let current = error, depth = 0;
    depth < 5;
    current = (current as { cause?: unknown }).cause, depth += 1
  ) {
    if (typeof current !== "object" || current === null) return undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * The driver's error inside Drizzle's DrizzleQueryError. Drizzle's message repeats the query
 * parameters — key hashes, log contents — so nothing the store throws or logs may carry it.
 */
export function unwrapQueryError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause ? error.cause : error;
}

/** A database failure for logs: the driver's message and SQLSTATE, never the query parameters. */
export function describeDbError(error: unknown): string {
  const inner = unwrapQueryError(error);
  const message = inner instanceof Error ? inner.message : String(inner);
  const state = sqlState(inner);
  return state ? `${message} (SQLSTATE ${state})` : message;
}

/**
 * A migration that failed, naming its folder and the database's reason (e.g. a role without
 * CREATE on the database, or an app migration's SQL error) — never the statement's parameters.
 */
export function migrationError(folder: string, target: string, error: unknown): StoreError {
  const state = sqlState(error);
  const hint =
    state === "42501"
      ? "; the database role needs CREATE on the database (run migrations as its owner)"
      : "";
  return new StoreError(
    "migration-failed",
    `migration from ${folder} failed on ${target}: ${describeDbError(error)}${hint}`,
    { cause: unwrapQueryError(error) },
  );
}
