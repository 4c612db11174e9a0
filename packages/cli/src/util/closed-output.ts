/**
 * What the CLI does when the reader of its output goes away (`grpc-cfg logs | head`, a log
 * shipper that died): Node reports a write to the closed pipe as an EPIPE "error" event,
 * which, unheard, crashes the process with a stack trace. A command that only prints stops
 * quietly, as UNIX tools do on SIGPIPE; `serve` (`keepRunning`) goes on serving and shutting
 * down gracefully, its output lost. Other stream errors are left as they were.
 */
export function handleClosedOutput(keepRunning: boolean): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      if (!keepRunning) process.exit(process.exitCode ?? 0);
    });
  }
}
