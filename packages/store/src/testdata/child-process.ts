/** Test helper: run a script from this folder as a child process and read its stdout lines. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

/** A running child with its stdout as lines. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the next stdout line (rejects if the child exits first or after `timeoutMs`). */
  nextLine(timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** Starts `node testdata/<script>` with extra environment variables. */
export function startChild(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return {
    process: child,
    exited,
    nextLine(timeoutMs = 30_000) {
      const queued = lines.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no output from ${script} within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(line);
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code}) before printing; stderr: ${stderr}`));
        });
      });
    },
  };
}
