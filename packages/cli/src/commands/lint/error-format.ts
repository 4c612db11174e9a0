import type { Argv } from "yargs";
import { formatDiagnostic, type BufDiagnostic } from "../../toolchain/buf-diagnostics.js";

/** How `lint` and `breaking` print findings (`--error-format`). */
export const ERROR_FORMATS = ["text", "json", "github-actions"] as const;

/** One of {@link ERROR_FORMATS}. */
export type ErrorFormat = (typeof ERROR_FORMATS)[number];

/** A finding with the end of its range, where buf gave one. */
export interface Finding extends BufDiagnostic {
  /** 1-based line where the finding's range ends. */
  readonly endLine?: number | undefined;
  /** 1-based column where the finding's range ends. */
  readonly endColumn?: number | undefined;
}

/** Adds `--error-format` to `lint` and `breaking`. */
export function withErrorFormatOption<T>(
  yargs: Argv<T>,
): Argv<T & { "error-format": ErrorFormat }> {
  return yargs.option("error-format", {
    choices: ERROR_FORMATS,
    default: "text" as ErrorFormat,
    requiresArg: true,
    describe:
      "Findings as text (file:line:col: message), json (one object per line, as buf prints " +
      "them) or github-actions (::error annotations)",
  }) as Argv<T & { "error-format": ErrorFormat }>;
}

/**
 * Prints one finding. Text goes to stderr as ever; json and github-actions go to stdout, as
 * buf prints them, so a CI step can redirect them to a file while the summary stays on
 * stderr (GitHub reads workflow commands from stdout).
 */
export function printFinding(format: ErrorFormat, finding: Finding): void {
  if (format === "text") process.stderr.write(`${formatDiagnostic(finding)}\n`);
  else process.stdout.write(`${formatFinding(format, finding)}\n`);
}

/** One finding as a line in `format` (no newline). */
export function formatFinding(format: ErrorFormat, finding: Finding): string {
  switch (format) {
    case "text":
      return formatDiagnostic(finding);
    case "json":
      return JSON.stringify(jsonFinding(finding));
    case "github-actions":
      return githubAnnotation(finding);
  }
}

/**
 * buf's `--error-format json` object, keys in buf's order. buf leaves `path` out when a
 * finding names no file and says 1:1 when it has no position; so does this.
 */
function jsonFinding(finding: Finding): Record<string, string | number> {
  const startLine = finding.line ?? 1;
  const startColumn = finding.line === undefined ? 1 : (finding.column ?? 1);
  return {
    ...(finding.file === undefined ? {} : { path: finding.file }),
    start_line: startLine,
    start_column: startColumn,
    end_line: finding.endLine ?? startLine,
    end_column: finding.endColumn ?? startColumn,
    type: finding.type,
    message: finding.message,
  };
}

/**
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`, buf's form plus
 * the rule as the annotation's title. Without a file or position those properties are left
 * out (GitHub then shows the annotation on the run, not on a line).
 */
function githubAnnotation(finding: Finding): string {
  const properties: string[] = [];
  if (finding.file !== undefined) {
    properties.push(`file=${escapeProperty(finding.file)}`);
    if (finding.line !== undefined) {
      properties.push(`line=${finding.line}`);
      if (finding.column !== undefined) properties.push(`col=${finding.column}`);
      if (finding.endLine !== undefined) properties.push(`endLine=${finding.endLine}`);
      if (finding.endColumn !== undefined) properties.push(`endColumn=${finding.endColumn}`);
    }
  }
  if (finding.type !== "COMPILE") properties.push(`title=${escapeProperty(finding.type)}`);
  const head = properties.length > 0 ? `::error ${properties.join(",")}` : "::error";
  return `${head}::${escapeData(finding.message)}`;
}

// The escaping of @actions/core's issueCommand: a newline would end the command early, a
// comma or colon in a property would start the next one.
function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * `diagnostics` (parsed from `bufText` by parseBufOutput, which keeps only where a range
 * starts) with the end of each range from buf's JSON lines, matched by rule, message and
 * start. A diagnostic buf did not print as JSON (a plugin's refusal) keeps no end.
 */
export function withEndPositions(
  diagnostics: readonly BufDiagnostic[],
  bufText: string,
): Finding[] {
  const ends = new Map<string, { endLine: number; endColumn: number }[]>();
  for (const line of bufText.split("\n")) {
    const record = jsonRecord(line);
    if (record === undefined) continue;
    const hasPath = typeof record.path === "string" && record.path !== "";
    const startLine = hasPath ? positive(record.start_line) : undefined;
    const startColumn = startLine === undefined ? undefined : positive(record.start_column);
    const endLine = positive(record.end_line);
    const endColumn = positive(record.end_column);
    if (startLine === undefined || endLine === undefined || endColumn === undefined) continue;
    const key = keyOf(
      String(record.type ?? "COMPILE"),
      String(record.message),
      startLine,
      startColumn,
    );
    ends.set(key, [...(ends.get(key) ?? []), { endLine, endColumn }]);
  }
  return diagnostics.map((diagnostic) => {
    const key = keyOf(diagnostic.type, diagnostic.message, diagnostic.line, diagnostic.column);
    const end = ends.get(key)?.shift();
    return end === undefined ? { ...diagnostic } : { ...diagnostic, ...end };
  });
}

function keyOf(type: string, message: string, line?: number, column?: number): string {
  return JSON.stringify([type, message, line ?? null, column ?? null]);
}

function jsonRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null) return undefined;
    const record = value as Record<string, unknown>;
    return typeof record.message === "string" ? record : undefined;
  } catch {
    return undefined;
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && value > 0 ? value : undefined;
}
