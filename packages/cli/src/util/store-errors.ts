// Type-only import: every command module loads on each CLI start, and the store (with its
// drivers) is loaded only by the handlers that open a database.
import type { ResolvedConfig } from "@grpc-cfg/runtime";
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
 * The command that lists what a "not-found" error could not find, from the store's wording
 * ("no user …", "no API key with id …", "no server instance …").
 */
const NOT_FOUND_HINTS: readonly [RegExp, string][] = [
  [/^no user\b/, "`grpc-cfg users list --all` lists the users (--all: inactive ones too)"],
  [/^no API key\b/, "`grpc-cfg keys list` lists the API keys and their ids"],
  [/^no server instance\b/, "`grpc-cfg status` lists the server instances"],
];

function hintFor(error: StoreError): string | undefined {
  if (error.code === "not-found") {
    const match = NOT_FOUND_HINTS.find(([pattern]) => pattern.test(error.message));
    if (match) return match[1];
  }
  return HINTS[error.code];
}

/**
 * The hint for a locked embedded database, naming the monitor where the config puts it (the
 * running server is likely the process holding the folder).
 */
export function dataDirLockedHint(monitor: ResolvedConfig["monitor"]): string {
  const base =
    "another process uses the embedded database: stop it, or use PostgreSQL (DATABASE_URL).";
  if (!monitor.enabled) return base;
  const host = ["", "0.0.0.0", "::", "[::]"].includes(monitor.host)
    ? "127.0.0.1"
    : monitor.host.includes(":") && !monitor.host.startsWith("[")
      ? `[${monitor.host}]`
      : monitor.host;
  return (
    `${base} While grpc-cfg serve runs, its monitor (http://${host}:${monitor.port}/) shows ` +
    "the logs, statistics and instances and creates, rotates and revokes keys."
  );
}

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
    hint: hint ?? hintFor(error),
    exitCode: error.code === "invalid-argument" ? 2 : 1,
    cause: error,
  });
}

/**
 * The CliError for a wait for another process's migration lock that a signal ended: the
 * store's StoreError `aborted` (maybe wrapped) after `signal` fired with the signal's name.
 * `result` says what did not happen, `hint` what to do; exit 130 for SIGINT, else 143.
 * Null for any other failure.
 */
export function migrationWaitStopped(
  error: unknown,
  signal: AbortSignal | undefined,
  result: string,
  hint: string,
): CliError | null {
  if (!signal?.aborted) return null;
  let aborted = false;
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isStoreError(current) && current.code === "aborted") aborted = true;
  }
  if (!aborted) return null;
  const name = String(signal.reason);
  return new CliError(`${name}: stopped waiting for the migration lock; ${result}`, {
    hint,
    exitCode: name === "SIGINT" ? 130 : 143,
    cause: error,
  });
}
