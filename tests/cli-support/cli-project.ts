// Test helper: a throw-away copy of a small grpc-cfg project, and a way to run the real
// `grpc-cfg` binary in it (a child process, exactly as a user would).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cliBin = path.join(repoRoot, "packages/cli/bin/grpc-cfg.js");
const fixtureDir = path.join(repoRoot, "tests/cli-support/fixture-project");

/** Output of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link CliProject.run}. */
export interface RunOptions {
  /** Working folder relative to the project (default: the project root). */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. ["--import", hook]. */
  readonly nodeArgs?: readonly string[];
}

/** A temp project; `dispose()` removes it. */
export interface CliProject {
  readonly dir: string;
  run(args: readonly string[], options?: RunOptions): Promise<CliRun>;
  read(file: string): Promise<string>;
  write(file: string, content: string): Promise<void>;
  exists(file: string): boolean;
  /** Path → sha256 of content and mtime of every file (node_modules skipped). */
  snapshot(): Promise<Map<string, string>>;
  dispose(): Promise<void>;
}

/** Fails early with a useful message when the packages were not built. */
export function requireBuiltCli(): void {
  for (const file of [
    "packages/cli/dist/bin/grpc-cfg.js",
    "packages/codegen/dist/bin/protoc-gen-grpc-cfg.js",
  ]) {
    if (!existsSync(path.join(repoRoot, file)))
      throw new Error(`${file} is missing: run npm run build first`);
  }
}

/**
 * Copies the fixture project (buf.yaml, buf.gen.yaml, proto/demo/v1/greeter.proto) into a
 * temp folder and links the repository's node_modules into it, so plugins and packages
 * resolve the way they do in an installed project.
 */
export async function createCliProject(): Promise<CliProject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-cli-test-"));
  await cp(fixtureDir, dir, { recursive: true });
  await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  return {
    dir,
    run: (args, options = {}) => runCli(args, path.join(dir, options.cwd ?? "."), options),
    read: (file) => readFile(path.join(dir, file), "utf8"),
    async write(file, content) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    },
    exists: (file) => existsSync(path.join(dir, file)),
    snapshot: () => snapshotTree(dir),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A {@link createCliProject} copy, generated and made an ESM package as `grpc-cfg init` makes
 * it (the runtime is ESM only), ready for `serve`.
 */
export async function createServableProject(): Promise<CliProject> {
  requireBuiltCli();
  const project = await createCliProject();
  const generated = await project.run(["generate"]);
  if (generated.code !== 0) throw new Error(`grpc-cfg generate failed:\n${generated.stderr}`);
  await project.write("package.json", JSON.stringify({ type: "module", private: true }));
  return project;
}

/** Runs `node packages/cli/bin/grpc-cfg.js ...args` in `cwd`. */
export function runCli(
  args: readonly string[],
  cwd: string,
  options: RunOptions = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // The caller's own template setting must not leak into the tests.
    const { GRPC_CFG_TEMPLATES: _ignored, ...inherited } = process.env;
    const env = { ...inherited, ...options.env };
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cliBin, ...args], {
      cwd,
      env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function snapshotTree(root: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(file);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(file))
          .digest("hex");
        result.set(path.relative(root, file), `${hash} ${(await stat(file)).mtimeMs}`);
      }
    }
  };
  await visit(root);
  return result;
}
