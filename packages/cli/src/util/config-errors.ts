// Type-only import: every command module loads on each CLI start, and the runtime is loaded
// only by the handlers that read the config.
import type { ConfigError } from "@grpc-cfg/runtime";
import { displayPath } from "../project/find-project.js";
import { CliError } from "./cli-error.js";

/**
 * True for the runtime's ConfigError. Structural, so recognising one does not load the
 * runtime (and survives two copies of the package in one process).
 */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof Error &&
    error.name === "ConfigError" &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/**
 * Turns a ConfigError (a bad field, or a config file that does not load) into a CliError
 * whose hint names the file it is in: the one given with `--config`, not always
 * grpc-cfg.config.ts. Other errors pass through.
 */
export function configErrorToCliError(error: unknown): unknown {
  if (!isConfigError(error)) return error;
  // Older runtimes' ConfigError has no `source`: the message still names the file.
  const source = (error as { source?: unknown }).source;
  return new CliError(error.message, {
    hint: hintFor(typeof source === "string" ? source : null),
    cause: error,
  });
}

/**
 * A config problem the CLI finds itself (e.g. a JWKS file that cannot be read at start),
 * worded like the runtime's ConfigError and with the same hint. Builds the text here rather
 * than importing the runtime, which command modules must not load at start.
 */
export function configProblem(issues: readonly string[], source: string | null): CliError {
  const where = source ? ` in ${source}` : "";
  const lines = issues.map((issue) => `  - ${issue}`).join("\n");
  return new CliError(`Invalid configuration${where}:\n${lines}`, { hint: hintFor(source) });
}

function hintFor(source: string | null): string {
  return source
    ? `fix ${displayPath(source)} (or the environment variables it reads)`
    : "fix what is named above: environment variables, flags or the --config path";
}
