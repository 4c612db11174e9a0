import { displayPath } from "../project/find-project.js";
import { CliError } from "../util/cli-error.js";

/** One problem buf found in a .proto file (a compile error or a lint/breaking finding). */
export interface BufDiagnostic {
  /**
   * The file as the user should see it (relative to the shell's folder when possible);
   * undefined when the finding names no file (e.g. a deleted package).
   */
  readonly file?: string;
  /** 1-based line; undefined when buf gives no position (e.g. a deleted file). */
  readonly line?: number;
  /** 1-based column; undefined when buf gives no position. */
  readonly column?: number;
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
 * `protoFile` maps a proto import path (`acme/v1/a.proto`, as plugins and some findings name
 * files) to its real file; with it a plugin's refusal becomes a diagnostic like any other,
 * and a finding without a path (a deleted file) names the file its message is about.
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
    const diagnostic = refusal ?? parseJsonDiagnostic(line, realPath, protoFile);
    if (diagnostic) diagnostics.push(diagnostic);
    else otherLines.push(line.split(`${workspaceDir}/`).join("").split(workspaceDir).join("."));
  }
  return {
    diagnostics,
    otherLines: pluginFailed ? otherLines.filter((l) => !PLUGIN_KILLED.test(l)) : otherLines,
  };
}

/**
 * `file:line:column: message`, plus ` (RULE)` for lint and breaking findings; without the
 * parts buf did not give (`file: message` for a finding about a whole file), never a made-up
 * position.
 */
export function formatDiagnostic(diagnostic: BufDiagnostic): string {
  const { file, line, column } = diagnostic;
  const position =
    line === undefined ? "" : column === undefined ? `:${line}` : `:${line}:${column}`;
  const where = file === undefined ? "" : `${file}${position}: `;
  const rule = diagnostic.type === "COMPILE" ? "" : ` (${diagnostic.type})`;
  return `${where}${diagnostic.message}${rule}`;
}

// A .proto file a message names in quotes, e.g. `Previously present file "a/v1/x.proto" was deleted.`
const QUOTED_PROTO_FILE = /"([^"\s]+\.proto)"/;

function parseJsonDiagnostic(
  line: string,
  realPath: (bufPath: string) => string,
  protoFile: ((importPath: string) => string | undefined) | undefined,
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
  // Without a path buf still says 1:1, which points nowhere.
  const startLine = bufPath === "" ? undefined : positive(record.start_line);
  return {
    file: bufPath === "" ? fileNamedIn(record.message, protoFile) : displayPath(realPath(bufPath)),
    line: startLine,
    column: startLine === undefined ? undefined : positive(record.start_column),
    message: record.message,
    type: typeof record.type === "string" ? record.type : "COMPILE",
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && value > 0 ? value : undefined;
}

// buf gives no path for a finding about a file that no longer exists; its message names it.
function fileNamedIn(
  message: string,
  protoFile: ((importPath: string) => string | undefined) | undefined,
): string | undefined {
  const importPath = QUOTED_PROTO_FILE.exec(message)?.[1];
  if (importPath === undefined) return undefined;
  const file = protoFile?.(importPath);
  return file === undefined ? importPath : displayPath(file);
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
    line: lineNo === undefined ? undefined : Number(lineNo),
    column: column === undefined ? undefined : Number(column),
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
