// Type-only import: every command module loads on each CLI start, and the store (with its
// drivers) is loaded only by the handlers that open a database.
import type { StoreError } from "@grpc-cfg/store";
import { CliError } from "./cli-error.js";

/** What to do about each store failure: one table for `serve` and every data command. */
const HINTS: Partial<Record<StoreError["code"], string>> = {
  "not-found": "list what exists with the matching `list` command",
  "schema-outdated": "run `grpc-cfg migrate`",
  "migration-failed":
    "fix the migration or the database's permissions, then run `grpc-cfg migrate` again",
  "data-dir-locked":
    "another process uses the embedded database: stop it, or use PostgreSQL (DATABASE_URL). " +
    "While grpc-cfg serve runs, its monitor (http://127.0.0.1:50052/ unless configured) shows " +
    "the logs, statistics and instances and creates, rotates and revokes keys.",
  misconfigured: "check the auth and database settings in grpc-cfg.config.ts",
  "connection-failed": "check DATABASE_URL / database.url and that the database is reachable",
};

/**
 * True for a StoreError. Structural, so recognising one does not load the store module (and
 * survives two copies of the package in one process).
 */
export function isStoreError(error: unknown): error is StoreError {
  return (
    error instanceof Error &&
    error.name === "StoreError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * Turns a StoreError into a CliError carrying the hint for its code (or `hint`, when the
 * caller knows better); bad input exits 2, everything else 1. Other errors pass through.
 */
export function storeErrorToCliError(error: unknown, hint?: string): unknown {
  if (!isStoreError(error)) return error;
  return new CliError(error.message, {
    hint: hint ?? HINTS[error.code],
    exitCode: error.code === "invalid-argument" ? 2 : 1,
    cause: error,
  });
}
