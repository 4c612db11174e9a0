// Test helpers for tests/init.test.ts: run the real `grpc-cfg` binary and npm scripts in a
// scaffolded project, "install" its dependencies from the workspace, and wait for a server.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../cli-support/cli-project.js";

/** The CLI launcher, exactly what `npx grpc-cfg` runs. */
export const CLI_BIN = path.join(repoRoot, "packages/cli/bin/grpc-cfg.js");

/** Output of a finished child process. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment children run with: the test runner's own VITEST_* variables would confuse
 * the project's vitest, and a developer's DATABASE_URL/PORT must not leak into the project.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^(VITEST|GRPC_CFG_|DATABASE_URL$|PORT$|HOST$|MONITOR_|NODE_OPTIONS$|FORCE_COLOR$)/.test(name)
    )
      continue;
    env[name] = value;
  }
  return env;
}

/** Starts a child with {@link childEnv}, stdout and stderr piped. */
export function start(command: string, args: readonly string[], cwd: string) {
  return spawn(command, args, { cwd, env: childEnv() });
}

/** Collects a child's output until it exits. */
export function finish(child: ChildProcessWithoutNullStreams): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the real `grpc-cfg` binary in `cwd`. */
export function cli(args: readonly string[], cwd: string): Promise<Run> {
  return finish(start(process.execPath, [CLI_BIN, ...args], cwd));
}

/** Runs git with a fixed identity (CI machines often have none configured). */
export function git(args: readonly string[], cwd: string): Promise<Run> {
  const identity = ["-c", "user.name=grpc-cfg tests", "-c", "user.email=tests@example.invalid"];
  return finish(start("git", [...identity, ...args], cwd));
}

/** Runs `npm run <script>` in the project. */
export function npmRun(script: string, cwd: string): Promise<Run> {
  return finish(start("npm", ["run", "--silent", script], cwd));
}

/**
 * "Installs" the project's dependencies by linking each one it declares to the workspace's
 * copy (the @grpc-cfg packages are workspace links themselves), with their bins in
 * node_modules/.bin. Only declared packages are linked, so an import the scaffold forgot to
 * declare fails here as it would after `npm install`.
 */
export async function linkDependencies(projectDir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(projectDir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const binDir = path.join(projectDir, "node_modules/.bin");
  await mkdir(binDir, { recursive: true });
  for (const name of [
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.devDependencies),
  ]) {
    const target = path.join(repoRoot, "node_modules", name);
    if (!existsSync(target)) throw new Error(`${name} is not installed in the workspace`);
    const link = path.join(projectDir, "node_modules", name);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(target, link);
    const { bin } = JSON.parse(readFileSync(path.join(target, "package.json"), "utf8")) as {
      bin?: string | Record<string, string>;
    };
    const bins = typeof bin === "string" ? { [name.replace(/^@.*\//, "")]: bin } : (bin ?? {});
    for (const [command, file] of Object.entries(bins)) {
      await symlink(path.join(link, file), path.join(binDir, command));
    }
  }
}

/** Resolves with the first match of `pattern` in the child's stdout; rejects on exit/timeout. */
export function waitForOutput(
  child: ChildProcessWithoutNullStreams,
  pattern: RegExp,
  timeoutMs: number,
) {
  return new Promise<RegExpMatchArray>((resolve, reject) => {
    let seen = "";
    let errors = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen}\n${errors}`)),
      timeoutMs,
    );
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}:\n${seen}\n${errors}`));
    });
  });
}
