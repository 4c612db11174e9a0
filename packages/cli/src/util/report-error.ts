import { CliError } from "./cli-error.js";
import { configErrorToCliError } from "./config-errors.js";

/**
 * Writes a failure to stderr the way people read it and returns the exit code: a CliError
 * as `error:` and `hint:` lines; anything else as the stack of what failed and each cause
 * (`caused by:`), so an unexpected failure still says why. A config problem found after
 * loading (an unreadable TLS or JWKS file at start) reads like one found while loading.
 */
export function reportError(failure: unknown, write: (text: string) => void): number {
  const error = configErrorToCliError(failure);
  if (error instanceof CliError) {
    write(`error: ${error.message}\n`);
    if (error.hint) write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  write(`error: unexpected failure\n${describeChain(error)}\n`);
  return 1;
}

// Drizzle's query errors (named plain "Error") repeat the statement's parameters — key
// hashes, log contents — in their message: for them only the driver's error, the cause, is
// printed. Recognised by shape, so the CLI need not load Drizzle to report a failure.
function carriesParameters(error: Error): boolean {
  const fields = error as { query?: unknown; params?: unknown };
  return typeof fields.query === "string" && Array.isArray(fields.params);
}

function describeChain(error: unknown): string {
  const lines: string[] = [];
  let current = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    const prefix = depth === 0 ? "" : "caused by: ";
    if (!(current instanceof Error)) {
      lines.push(`${prefix}${String(current)}`);
      break;
    }
    if (carriesParameters(current)) {
      lines.push(`${prefix}a database query failed`);
    } else {
      lines.push(`${prefix}${depth === 0 ? (current.stack ?? current.message) : current.message}`);
    }
    current = current.cause;
  }
  return lines.join("\n");
}
