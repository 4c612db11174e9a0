/** Child processes and ports for the end-to-end tests. */
import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import { createServer } from "node:net";

/** How a finished process went. */
export interface ProcessResult {
  /** Exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  readonly cwd: string;
  /** Added to (and overriding) the current environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Written to stdin, which is then closed. Default: stdin closed at once. */
  readonly input?: string;
  /** Killed with SIGKILL after this long (the result then says so). Default 120 s. */
  readonly timeoutMs?: number;
}

/** Environment for a child: ours with `changes` applied (`undefined` deletes). */
export function childEnv(
  changes: Readonly<Record<string, string | undefined>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs a program to the end and collects its output. Never rejects for a non-zero exit. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<ProcessResult> {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  };
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], spawnOptions);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
    child.stdin?.end(options.input ?? "");
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picked it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A process left running while the test talks to it. */
export interface BackgroundProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stdout matches; rejects if the process ends first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  exited(): Promise<number | null>;
  /** Sends `signal` if the process is still running. */
  signal(signal: NodeJS.Signals): void;
}

/** Starts a program in the background, collecting its output. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: Pick<RunOptions, "cwd" | "env">,
): BackgroundProcess {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const finish = (error?: Error) => {
          clearTimeout(timer);
          clearInterval(poll);
          if (error) reject(error);
          else resolve();
        };
        const printed = () => `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} within ${timeoutMs} ms${printed()}`)),
          timeoutMs,
        );
        // Polling keeps this independent of how output arrives in chunks.
        const poll = setInterval(() => {
          if (pattern.test(stdout)) finish();
          else if (child.exitCode !== null || child.signalCode !== null) {
            finish(
              new Error(
                `exited (${child.exitCode ?? child.signalCode}) before ${pattern}${printed()}`,
              ),
            );
          }
        }, 20);
      });
    },
    exited: () => exit,
    signal(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
