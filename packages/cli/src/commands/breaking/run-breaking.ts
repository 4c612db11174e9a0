import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readBufYaml, type BufYaml } from "../../project/buf-config.js";
import { findProject } from "../../project/find-project.js";
import { resolveBuf, runBuf } from "../../toolchain/buf-binary.js";
import { parseBufOutput } from "../../toolchain/buf-diagnostics.js";
import { createBufWorkspace, type BufWorkspace } from "../../toolchain/buf-workspace.js";
import { findCodegenAssets } from "../../toolchain/codegen-assets.js";
import { CliError } from "../../util/cli-error.js";
import { runProcess } from "../../util/process-runner.js";
import { createProgress } from "../../util/progress.js";
import { printFinding, withEndPositions, type ErrorFormat } from "../lint/error-format.js";
import { bufGitInput, resolveAgainst, type AgainstTarget } from "./against-input.js";
import { failOnCompileErrors, isCompileError } from "./compile-errors.js";

/** Options of `grpc-cfg breaking`. */
export interface BreakingOptions {
  readonly cwd?: string | undefined;
  readonly quiet?: boolean;
  /** What to compare with: a git ref, buf's `.git#…` form, a folder or another buf input. */
  readonly against: string;
  /** How findings are printed (default text). */
  readonly errorFormat?: ErrorFormat | undefined;
}

/** buf's exit code when it found problems in the input (as opposed to failing to run). */
const BUF_FILE_ANNOTATIONS = 100;

/**
 * `grpc-cfg breaking --against REF`: `buf breaking` with the project's rules. Both sides are
 * built like `generate` builds them (grpc-cfg's options importable, node_modules unseen).
 * With `errorFormat` json or github-actions, findings and compile errors are lines in that
 * format on stdout.
 */
export async function runBreaking(options: BreakingOptions): Promise<void> {
  const format = options.errorFormat ?? "text";
  // JSON output is for programs: nothing else on stdout.
  const progress = createProgress({ quiet: options.quiet === true || format === "json" });
  const project = findProject(options.cwd ?? process.cwd());
  const optionsProtoRoot = findCodegenAssets(project.root)?.protoRoot;
  const target = await resolveAgainst(options.against, project.root);
  const buf = resolveBuf();
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const bufYaml = readBufYaml(project.bufYamlPath);
    const current = await createBufWorkspace({
      root: project.root,
      bufYaml,
      bufYamlPath: project.bufYamlPath,
      optionsProtoRoot,
    });
    cleanups.push(() => current.dispose());
    progress.step(`preparing ${options.against}`);
    const against = await againstInput(target, current, optionsProtoRoot, cleanups);
    // No --exclude-path for the added options: buf would apply it to the against input too,
    // and the options are the same file on both sides, so they never report a change.
    progress.step(`buf breaking --against ${options.against}`);
    const result = await runBuf(
      buf,
      ["breaking", "--error-format", "json", "--against", against.input],
      { cwd: current.dir },
    );
    const bufText = `${result.stdout}\n${result.stderr}`;
    const output = parseBufOutput(bufText, current.realPath, current.dir, (importPath) =>
      formerProtoFile(bufYaml, current.realPath, importPath),
    );
    const compileErrors = output.diagnostics.filter(isCompileError).length;
    if (result.code !== 0 && compileErrors > 0) {
      const sides = { buf, current, against: options.against, target, againstDir: against.dir };
      await failOnCompileErrors(sides, bufText, compileErrors, format);
    }
    for (const finding of withEndPositions(output.diagnostics, bufText))
      printFinding(format, finding);
    if (result.code === 0) {
      progress.result(`breaking: OK, no breaking changes against ${options.against}`);
      return;
    }
    for (const line of output.otherLines) process.stderr.write(`${line}\n`);
    if (result.code === BUF_FILE_ANNOTATIONS && output.diagnostics.length > 0) {
      const count = output.diagnostics.length;
      const deleted = output.diagnostics.some((d) => d.type === "FILE_NO_DELETE");
      throw new CliError(
        `${count} breaking change${count === 1 ? "" : "s"} against ${options.against}`,
        {
          hint:
            "Keep the old fields and methods (deprecate them), or release a new package version (v2)." +
            (deleted
              ? " A moved or renamed .proto file counts as deleted: keep its old path."
              : ""),
        },
      );
    }
    throw new CliError(`buf breaking could not compare against ${options.against}`, {
      hint: "See buf's message above.",
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/**
 * The real file of a proto import path named by a finding: where a module holds it now, or,
 * for a file deleted since (buf names it only by import path), where the project's only
 * module held it. Undefined when several modules could have.
 */
function formerProtoFile(
  bufYaml: BufYaml,
  realPath: (bufPath: string) => string,
  importPath: string,
): string | undefined {
  const candidates = bufYaml.modules.map((module) => realPath(path.join(module.path, importPath)));
  return (
    candidates.find((file) => existsSync(file)) ??
    (candidates.length === 1 ? candidates[0] : undefined)
  );
}

/** What buf's --against takes, and the workspace grpc-cfg built for it (if it built one). */
interface AgainstInput {
  readonly input: string;
  readonly dir?: string;
}

/** Turns the target into what buf's --against takes, building workspaces where needed. */
async function againstInput(
  target: AgainstTarget,
  current: BufWorkspace,
  optionsProtoRoot: string | undefined,
  cleanups: (() => Promise<void>)[],
): Promise<AgainstInput> {
  if (target.kind === "buf-input") return { input: target.input };
  // Without grpc-cfg's options to add, buf reads the git revision itself.
  if (target.kind === "git" && current.optionsExcludePath === undefined) {
    return { input: bufGitInput(target) };
  }
  let root: string;
  if (target.kind === "git") {
    const extracted = await extractRevision(target);
    cleanups.push(() => rm(extracted, { recursive: true, force: true }));
    root = path.join(extracted, target.subdir);
  } else {
    root = target.root;
  }
  const bufYamlPath = path.join(root, "buf.yaml");
  const workspace = await createBufWorkspace({
    root,
    bufYaml: readBufYaml(bufYamlPath),
    bufYamlPath,
    optionsProtoRoot,
  });
  cleanups.push(() => workspace.dispose());
  return { input: workspace.dir, dir: workspace.dir };
}

/** Writes the files of a git revision (the project's folder only) into a temp folder. */
async function extractRevision(target: Extract<AgainstTarget, { kind: "git" }>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-against-"));
  const archive = path.join(dir, "revision.tar");
  const paths = target.subdir === "" ? [] : ["--", target.subdir];
  const git = await runProcess(
    "git",
    ["archive", "--format=tar", `--output=${archive}`, target.ref, ...paths],
    {
      cwd: target.gitTop,
    },
  );
  const tar =
    git.code === 0 ? await runProcess("tar", ["-xf", archive, "-C", dir], { cwd: dir }) : git;
  await rm(archive, { force: true });
  if (tar.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new CliError(
      `cannot read ${target.subdir || "the project"} at ${target.ref}: ${tar.stderr.trim()}`,
      {
        hint: "Is the project folder committed at that revision?",
      },
    );
  }
  return dir;
}
