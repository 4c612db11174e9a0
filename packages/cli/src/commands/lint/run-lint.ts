import path from "node:path";
import { readBufYaml } from "../../project/buf-config.js";
import { displayPath, findProject } from "../../project/find-project.js";
import { resolveBuf, runBuf, type BufBinary } from "../../toolchain/buf-binary.js";
import { parseBufOutput } from "../../toolchain/buf-diagnostics.js";
import { createBufWorkspace, type BufWorkspace } from "../../toolchain/buf-workspace.js";
import { findCodegenAssets } from "../../toolchain/codegen-assets.js";
import { CliError } from "../../util/cli-error.js";
import { printFinding, withEndPositions, type ErrorFormat, type Finding } from "./error-format.js";
import { isLintIgnored, lintIgnoredPaths } from "./lint-ignores.js";
import { createProgress, type Progress } from "../../util/progress.js";

/** Options of `grpc-cfg lint`. */
export interface LintOptions {
  readonly cwd?: string | undefined;
  readonly quiet?: boolean;
  /** Rewrite badly formatted files instead of failing on them. */
  readonly fix?: boolean | undefined;
  /** How findings are printed (default text). */
  readonly errorFormat?: ErrorFormat | undefined;
}

/** buf's exit code when it found problems in the input (as opposed to failing to run). */
const BUF_FILE_ANNOTATIONS = 100;

/**
 * `grpc-cfg lint`: `buf lint` with the project's rules, then `buf format --diff` over the files
 * buf lint does not ignore (buf.yaml's `lint.ignore`). Prints findings as
 * `file:line:column: message (RULE)` and the files needing formatting with their diff; exits
 * 1 when there is either. With `errorFormat` json or github-actions, every finding (an
 * unformatted file too) is one line in that format on stdout instead.
 */
export async function runLint(options: LintOptions): Promise<void> {
  const format = options.errorFormat ?? "text";
  // JSON output is for programs: nothing else on stdout.
  const progress = createProgress({ quiet: options.quiet === true || format === "json" });
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
      unformatted = { files: [], diff: "", firstChangedLines: [] };
    }
    report(progress, format, findings, unformatted);
  } finally {
    await workspace.dispose();
  }
}

async function lintFindings(
  buf: BufBinary,
  workspace: BufWorkspace,
  exclude: readonly string[],
): Promise<readonly Finding[]> {
  const result = await runBuf(buf, ["lint", "--error-format", "json", ...exclude], {
    cwd: workspace.dir,
  });
  const text = `${result.stdout}\n${result.stderr}`;
  const output = parseBufOutput(text, workspace.realPath, workspace.dir);
  if (
    result.code !== 0 &&
    (result.code !== BUF_FILE_ANNOTATIONS || output.diagnostics.length === 0)
  ) {
    for (const line of output.otherLines) process.stderr.write(`${line}\n`);
    throw new CliError("buf lint failed to run", { hint: "See buf's message above." });
  }
  return withEndPositions(output.diagnostics, text);
}

interface Unformatted {
  /** Absolute paths of the files whose formatting differs from `buf format`. */
  readonly files: readonly string[];
  readonly diff: string;
  /** Per file, the first line the diff changes (in the file as it is), for annotations. */
  readonly firstChangedLines: readonly (number | undefined)[];
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
  if (result.code === 0) return { files: [], diff: "", firstChangedLines: [] };
  const chunks = result.stdout.split(/^(?=diff -u )/m).filter((c) => c.startsWith("diff -u "));
  if (chunks.length === 0) {
    // Not a formatting difference: buf could not parse a file. Lint reports those already.
    return { files: [], diff: "", firstChangedLines: [] };
  }
  const files: string[] = [];
  const kept: string[] = [];
  const firstChangedLines: (number | undefined)[] = [];
  for (const chunk of chunks) {
    const bufPath = /^diff -u \S+ (\S+)$/m.exec(chunk)?.[1];
    if (bufPath === undefined) continue;
    const relative = path.isAbsolute(bufPath) ? path.relative(workspace.dir, bufPath) : bufPath;
    if (isLintIgnored(relative, ignored)) continue;
    files.push(workspace.realPath(bufPath));
    kept.push(chunk);
    firstChangedLines.push(firstChangedLine(chunk));
  }
  const diff = kept.join("").split(`${workspace.dir}/`).join("");
  return { files, diff, firstChangedLines };
}

/** The line of the file as it is where a unified diff's first hunk first changes it. */
function firstChangedLine(chunk: string): number | undefined {
  const lines = chunk.split("\n");
  const hunk = lines.findIndex((line) => line.startsWith("@@ "));
  const start = /^@@ -(\d+)/.exec(lines[hunk] ?? "")?.[1];
  if (start === undefined) return undefined;
  let line = Math.max(1, Number(start));
  for (const text of lines.slice(hunk + 1)) {
    if (!text.startsWith(" ")) return line;
    line++;
  }
  return undefined;
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

/** What an unformatted file is in json and github-actions output. */
const FORMAT_FINDING = "FORMAT";

function report(
  progress: Progress,
  format: ErrorFormat,
  findings: readonly Finding[],
  unformatted: Unformatted,
): void {
  for (const finding of findings) printFinding(format, finding);
  if (unformatted.files.length > 0 && format === "text") {
    process.stderr.write(`${unformatted.diff.trimEnd()}\n`);
    for (const file of unformatted.files)
      process.stderr.write(`not formatted: ${displayPath(file)}\n`);
  } else {
    unformatted.files.forEach((file, index) => {
      const line = unformatted.firstChangedLines[index];
      printFinding(format, {
        file: displayPath(file),
        line,
        column: line === undefined ? undefined : 1,
        type: FORMAT_FINDING,
        message: "File is not formatted as buf format formats it (grpc-cfg lint --fix does).",
      });
    });
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
  // Machine-readable findings went to stdout, not above the summary on stderr.
  const where = format === "text" ? "above" : "listed on stdout";
  const formatHint =
    unformatted.files.length > 0
      ? "Format the files with grpc-cfg lint --fix (buf format -w). "
      : "";
  throw new CliError(problems.join(", "), {
    hint: `${formatHint}${findings.length > 0 ? `Fix the problems at the positions ${where}.` : ""}`.trim(),
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
