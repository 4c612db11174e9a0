import { spawn } from "node:child_process";

/** What a finished child process left behind. */
export interface ProcessResult {
  /** Exit code; 128 + signal number when the process was killed by a signal. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link runProcess}. */
export interface RunProcessOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Bytes written to the child's stdin, then stdin is closed. */
  readonly input?: string | Buffer;
}

/**
 * Runs a program to completion and collects its output. Never rejects on a non-zero exit (the
 * caller decides what a failure means); rejects only when the program cannot be started.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({
        code: code ?? 128 + signalNumber(signal),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    // A child that exits before reading stdin makes the write fail with EPIPE; its exit code
    // already tells the story, so the write error is not worth reporting.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  if (signal === "SIGKILL") return 9;
  if (signal === "SIGTERM") return 15;
  if (signal === "SIGINT") return 2;
  return 1;
}
