/** One line of a process's JSON log. */
export type LogLine = Record<string, unknown>;

/**
 * Every non-empty line of `stderr` parsed as JSON: what a log shipper reading a grpc-cfg
 * process's stderr gets. A line that is not JSON fails the test, naming the line.
 */
export function jsonLines(stderr: string): LogLine[] {
  return stderr
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
