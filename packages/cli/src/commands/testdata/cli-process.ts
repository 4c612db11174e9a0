// Test helper: runs the built CLI binary (packages/cli/bin/grpc-cfg.js) as a child process.
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The CLI's entry point; tests run it after `npm run build`. */
export const CLI_BIN = fileURLToPath(new URL("../../../bin/grpc-cfg.js", import.meta.url));

/** How one CLI run ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link spawnCli}. */
export interface CliOptions {
  /** Written to stdin, which is then closed (an empty string closes it at once). */
  stdin?: string;
  /** Added to the environment; `GRPC_CFG_ADDRESS` is cleared unless given here. */
  env?: NodeJS.ProcessEnv;
  /** Working folder (default: this process's). */
  cwd?: string;
  /** Run as this user and group (needs root). */
  uid?: number;
  gid?: number;
}

/** A running CLI: the child, its end, and what it has printed so far. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  done: Promise<CliRun>;
  stdout(): string;
}

/** Starts the CLI with `args`; stdin stays open unless `options.stdin` is given. */
export function spawnCli(args: string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: { ...process.env, GRPC_CFG_ADDRESS: "", ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  const done = new Promise<CliRun>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, stdout: () => stdout };
}

/** Runs the CLI to its end with stdin closed (unless `options.stdin` says otherwise). */
export function runCli(args: string[], options?: CliOptions): Promise<CliRun> {
  return spawnCli(args, { stdin: "", ...options }).done;
}
