import { displayPath } from "../project/find-project.js";
import { CliError } from "../util/cli-error.js";

/** One problem buf found in a .proto file (a compile error or a lint/breaking finding). */
export interface BufDiagnostic {
  /** The file as the user should see it (relative to the shell's folder when possible). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** `COMPILE` for build errors, else the lint or breaking rule, e.g. `ENUM_VALUE_PREFIX`. */
  readonly type: string;
}

/** buf's output split into file diagnostics and everything else it printed. */
export interface BufOutput {
  readonly diagnostics: readonly BufDiagnostic[];
  /** Other lines (buf's `Failure: …`, plugin stderr), with workspace paths made real. */
  readonly otherLines: readonly string[];
}

/**
 * Parses what buf printed with `--error-format json`: one JSON object per finding, plain text
 * for anything else. `realPath` maps buf's workspace-relative paths to real files, and
 * `workspaceDir` is replaced in free text so no temp folder leaks into messages.
 */
export function parseBufOutput(
  text: string,
  realPath: (bufPath: string) => string,
  workspaceDir: string,
): BufOutput {
  const diagnostics: BufDiagnostic[] = [];
  const otherLines: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const diagnostic = parseJsonDiagnostic(line, realPath);
    if (diagnostic) diagnostics.push(diagnostic);
    else otherLines.push(line.split(`${workspaceDir}/`).join("").split(workspaceDir).join("."));
  }
  return { diagnostics, otherLines };
}

/** `file:line:column: message`, plus ` (RULE)` for lint and breaking findings. */
export function formatDiagnostic(diagnostic: BufDiagnostic): string {
  const where = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
  const rule = diagnostic.type === "COMPILE" ? "" : ` (${diagnostic.type})`;
  return `${where}: ${diagnostic.message}${rule}`;
}

function parseJsonDiagnostic(
  line: string,
  realPath: (bufPath: string) => string,
): BufDiagnostic | undefined {
  if (!line.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.message !== "string") return undefined;
  const bufPath = typeof record.path === "string" ? record.path : "";
  return {
    file: bufPath === "" ? "<input>" : displayPath(realPath(bufPath)),
    line: typeof record.start_line === "number" ? record.start_line : 1,
    column: typeof record.start_column === "number" ? record.start_column : 1,
    message: record.message,
    type: typeof record.type === "string" ? record.type : "COMPILE",
  };
}

/**
 * Prints what a failed buf run reported — diagnostics as `file:line:column: message`, other
 * lines as buf wrote them — and throws a {@link CliError} summarising it.
 */
export function failWithBufOutput(output: BufOutput, summary: string, hint: string): never {
  for (const diagnostic of output.diagnostics)
    process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  for (const line of output.otherLines) process.stderr.write(`${line}\n`);
  const count = output.diagnostics.length;
  const detail = count > 0 ? `: ${count} problem${count === 1 ? "" : "s"} (listed above)` : "";
  throw new CliError(`${summary}${detail}`, { hint });
}
