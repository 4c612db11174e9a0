import { displayPath } from "../project/find-project.js";
import { CliError } from "../util/cli-error.js";

/** One problem buf found in a .proto file (a compile error or a lint/breaking finding). */
export interface BufDiagnostic {
  /** The file as the user should see it (relative to the shell's folder when possible). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /**
   * `COMPILE` for build errors, the plugin's name (`protoc-gen-grpc-cfg`) for a plugin that
   * refused a file, else the lint or breaking rule, e.g. `ENUM_VALUE_PREFIX`.
   */
  readonly type: string;
}

/** buf's output split into file diagnostics and everything else it printed. */
export interface BufOutput {
  readonly diagnostics: readonly BufDiagnostic[];
  /** Other lines (buf's `Failure: …`, plugin stderr), with workspace paths made real. */
  readonly otherLines: readonly string[];
}

// What buf prints when a plugin returns an error: ours names `file.proto[:line:column]` first.
const PLUGIN_FAILURE = /^Failure: plugin (\S+): (\S+\.proto)(?::(\d+):(\d+))?: (.+)$/;
// buf stops the other plugins of the run once one fails; they did nothing wrong.
const PLUGIN_KILLED = /^plugin \S+: signal: killed$/;

/**
 * Parses what buf printed with `--error-format json`: one JSON object per finding, plain text
 * for anything else. `realPath` maps buf's workspace-relative paths to real files, and
 * `workspaceDir` is replaced in free text so no temp folder leaks into messages.
 * `protoFile` maps a proto import path (`acme/v1/a.proto`, as plugins name files) to its
 * real file; with it a plugin's refusal becomes a diagnostic like any other.
 */
export function parseBufOutput(
  text: string,
  realPath: (bufPath: string) => string,
  workspaceDir: string,
  protoFile?: (importPath: string) => string | undefined,
): BufOutput {
  const diagnostics: BufDiagnostic[] = [];
  const otherLines: string[] = [];
  let pluginFailed = false;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const refusal = parsePluginFailure(line, protoFile);
    pluginFailed ||= refusal !== undefined;
    const diagnostic = refusal ?? parseJsonDiagnostic(line, realPath);
    if (diagnostic) diagnostics.push(diagnostic);
    else otherLines.push(line.split(`${workspaceDir}/`).join("").split(workspaceDir).join("."));
  }
  return {
    diagnostics,
    otherLines: pluginFailed ? otherLines.filter((l) => !PLUGIN_KILLED.test(l)) : otherLines,
  };
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

function parsePluginFailure(
  line: string,
  protoFile: ((importPath: string) => string | undefined) | undefined,
): BufDiagnostic | undefined {
  const match = protoFile ? PLUGIN_FAILURE.exec(line) : null;
  if (!match || !protoFile) return undefined;
  const [, plugin = "", importPath = "", lineNo, column, message = ""] = match;
  const file = protoFile(importPath);
  if (file === undefined) return undefined;
  return {
    file: displayPath(file),
    line: lineNo === undefined ? 1 : Number(lineNo),
    column: column === undefined ? 1 : Number(column),
    message,
    type: plugin,
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
