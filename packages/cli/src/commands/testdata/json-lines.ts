/** One line of a process's JSON log. */
export type LogLine = Record<string, unknown>;

/**
 * Every non-empty line of `output` parsed as JSON: what a log shipper reading a grpc-cfg
 * process's stderr gets, or a script reading `--error-format json` from stdout. A line that is
 * not JSON fails the test, naming the line.
 */
export function jsonLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`stderr line is not JSON: ${line}`);
      }
    });
}
