import path from "node:path";
import { readBufYaml } from "../../project/buf-config.js";
import { displayPath, findProject } from "../../project/find-project.js";
import { resolveBuf, runBuf, type BufBinary } from "../../toolchain/buf-binary.js";
import {
  formatDiagnostic,
  parseBufOutput,
  type BufDiagnostic,
} from "../../toolchain/buf-diagnostics.js";
import { createBufWorkspace, type BufWorkspace } from "../../toolchain/buf-workspace.js";
import { findCodegenAssets } from "../../toolchain/codegen-assets.js";
import { CliError } from "../../util/cli-error.js";
import { isLintIgnored, lintIgnoredPaths } from "./lint-ignores.js";
import { createProgress, type Progress } from "../../util/progress.js";

/** Options of `grpc-cfg lint`. */
export interface LintOptions {
  readonly cwd?: string | undefined;
  readonly quiet?: boolean;
  /** Rewrite badly formatted files instead of failing on them. */
  readonly fix?: boolean | undefined;
}

/** buf's exit code when it found problems in the input (as opposed to failing to run). */
const BUF_FILE_ANNOTATIONS = 100;

/**
 * `grpc-cfg lint`: `buf lint` with the project's rules, then `buf format --diff` over the files
 * buf lint does not ignore (buf.yaml's `lint.ignore`). Prints findings as
 * `file:line:column: message (RULE)` and the files needing formatting with their diff; exits
 * 1 when there is either.
 */
export async function runLint(options: LintOptions): Promise<void> {
  const progress = createProgress({ quiet: options.quiet === true });
  const project = findProject(options.cwd ?? process.cwd());
  const bufYaml = readBufYaml(project.bufYamlPath);
  const buf = resolveBuf();
  const workspace = await createBufWorkspace({
    root: project.root,
    bufYaml,
    bufYamlPath: project.bufYamlPath,
    optionsProtoRoot: findCodegenAssets(project.root)?.protoRoot,
  });
  try {
    const exclude = workspace.optionsExcludePath
      ? ["--exclude-path", workspace.optionsExcludePath]
      : [];
    progress.step("buf lint");
    const findings = await lintFindings(buf, workspace, exclude);
    progress.step("buf format --diff");
    let unformatted = await unformattedFiles(buf, workspace, exclude, lintIgnoredPaths(bufYaml));
    if (options.fix && unformatted.files.length > 0) {
      await formatInPlace(buf, project.root, unformatted.files);
      progress.result(`formatted ${unformatted.files.map(displayPath).join(", ")}`);
      unformatted = { files: [], diff: "" };
    }
    report(progress, findings, unformatted);
  } finally {
    await workspace.dispose();
  }
}

async function lintFindings(
  buf: BufBinary,
  workspace: BufWorkspace,
  exclude: readonly string[],
): Promise<readonly BufDiagnostic[]> {
  const result = await runBuf(buf, ["lint", "--error-format", "json", ...exclude], {
    cwd: workspace.dir,
  });
  const output = parseBufOutput(
    `${result.stdout}\n${result.stderr}`,
    workspace.realPath,
    workspace.dir,
  );
  if (
    result.code !== 0 &&
    (result.code !== BUF_FILE_ANNOTATIONS || output.diagnostics.length === 0)
  ) {
    for (const line of output.otherLines) process.stderr.write(`${line}\n`);
    throw new CliError("buf lint failed to run", { hint: "See buf's message above." });
  }
  return output.diagnostics;
}

interface Unformatted {
  /** Absolute paths of the files whose formatting differs from `buf format`. */
  readonly files: readonly string[];
  readonly diff: string;
}

async function unformattedFiles(
  buf: BufBinary,
  workspace: BufWorkspace,
  exclude: readonly string[],
  ignored: readonly string[],
): Promise<Unformatted> {
  // Not --exclude-path: buf refuses it for a whole module, and a vendored module is the
  // usual thing buf.yaml's lint ignores. The diff is split per file and filtered instead.
  const result = await runBuf(buf, ["format", "--diff", "--exit-code", ...exclude], {
    cwd: workspace.dir,
  });
  if (result.code === 0) return { files: [], diff: "" };
  const chunks = result.stdout.split(/^(?=diff -u )/m).filter((c) => c.startsWith("diff -u "));
  if (chunks.length === 0) {
    // Not a formatting difference: buf could not parse a file. Lint reports those already.
    return { files: [], diff: "" };
  }
  const files: string[] = [];
  const kept: string[] = [];
  for (const chunk of chunks) {
    const bufPath = /^diff -u \S+ (\S+)$/m.exec(chunk)?.[1];
    if (bufPath === undefined) continue;
    const relative = path.isAbsolute(bufPath) ? path.relative(workspace.dir, bufPath) : bufPath;
    if (isLintIgnored(relative, ignored)) continue;
    files.push(workspace.realPath(bufPath));
    kept.push(chunk);
  }
  const diff = kept.join("").split(`${workspace.dir}/`).join("");
  return { files, diff };
}

async function formatInPlace(
  buf: BufBinary,
  projectRoot: string,
  files: readonly string[],
): Promise<void> {
  for (const file of files) {
    const result = await runBuf(buf, ["format", "-w", path.relative(projectRoot, file)], {
      cwd: projectRoot,
    });
    if (result.code !== 0) {
      throw new CliError(`buf format -w ${displayPath(file)} failed: ${result.stderr.trim()}`);
    }
  }
}

function report(
  progress: Progress,
  findings: readonly BufDiagnostic[],
  unformatted: Unformatted,
): void {
  for (const finding of findings) process.stderr.write(`${formatDiagnostic(finding)}\n`);
  if (unformatted.files.length > 0) {
    process.stderr.write(`${unformatted.diff.trimEnd()}\n`);
    for (const file of unformatted.files)
      process.stderr.write(`not formatted: ${displayPath(file)}\n`);
  }
  const problems: string[] = [];
  const compileErrors = findings.filter((finding) => finding.type === "COMPILE").length;
  const ruleFindings = findings.length - compileErrors;
  if (compileErrors > 0) problems.push(plural(compileErrors, "compile error"));
  if (ruleFindings > 0) problems.push(plural(ruleFindings, "lint finding"));
  if (unformatted.files.length > 0) {
    problems.push(`${plural(unformatted.files.length, "file")} not formatted`);
  }
  if (problems.length === 0) {
    progress.result("lint: OK (buf lint and buf format found nothing)");
    return;
  }
  const formatHint =
    unformatted.files.length > 0
      ? "Format the files with grpc-cfg lint --fix (buf format -w). "
      : "";
  throw new CliError(problems.join(", "), {
    hint: `${formatHint}${findings.length > 0 ? "Fix the problems at the positions above." : ""}`.trim(),
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
