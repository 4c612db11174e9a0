import path from "node:path";
import { runBuf, type BufBinary } from "../../toolchain/buf-binary.js";
import { parseBufOutput, type BufDiagnostic } from "../../toolchain/buf-diagnostics.js";
import type { BufWorkspace } from "../../toolchain/buf-workspace.js";
import { CliError } from "../../util/cli-error.js";
import { printFinding, withEndPositions, type ErrorFormat } from "../lint/error-format.js";
import type { AgainstTarget } from "./against-input.js";

/** What `buf breaking` compared, for telling which side failed to compile. */
export interface BreakingSides {
  readonly buf: BufBinary;
  readonly current: BufWorkspace;
  /** `--against` as the user typed it. */
  readonly against: string;
  readonly target: AgainstTarget;
  /** The workspace grpc-cfg built for the against side, when it built one. */
  readonly againstDir: string | undefined;
}

/**
 * `buf breaking` reports compile errors of either side as findings, with no rule and no word
 * of which side they belong to. They are not breaking changes: this prints them and throws
 * the error that says which side does not compile. The current side is checked by building
 * it (only on this failure path); a relative path in the against side's errors would
 * otherwise look like a file of the project as it is now. The errors are printed in `format`.
 */
export async function failOnCompileErrors(
  sides: BreakingSides,
  bufText: string,
  compileErrors: number,
  format: ErrorFormat = "text",
): Promise<never> {
  const { buf, current, against } = sides;
  const build = await runBuf(buf, ["build", "--error-format", "json"], { cwd: current.dir });
  if (build.code !== 0) {
    const buildText = `${build.stdout}\n${build.stderr}`;
    const own = parseBufOutput(buildText, current.realPath, current.dir);
    const errors = own.diagnostics.filter(isCompileError);
    print(format, buildText, errors.length > 0 ? errors : own.diagnostics);
    const count = errors.length > 0 ? errors.length : compileErrors;
    throw new CliError(
      `${plural(count, "compile error")}: the .proto files do not compile, so they were not compared against ${against}`,
      {
        hint: "Fix the .proto files at the positions above (grpc-cfg lint reports the same errors), then run grpc-cfg breaking again.",
      },
    );
  }
  const theirs = parseBufOutput(bufText, (bufPath) => againstFile(sides, bufPath), current.dir);
  print(format, bufText, theirs.diagnostics.filter(isCompileError));
  throw new CliError(
    `the .proto files of ${against} do not compile (${plural(compileErrors, "compile error")}), so nothing was compared`,
    {
      hint: "buf breaking needs both sides to compile: compare against a revision whose .proto files compile (an earlier commit or a release tag).",
    },
  );
}

/** A compile error: a finding of no lint or breaking rule. */
export function isCompileError(diagnostic: BufDiagnostic): boolean {
  return diagnostic.type === "COMPILE";
}

/**
 * How to name a file of the against side: `ref:path` (git's notation, so `git show` opens
 * it) for a revision, the real file for another project folder. buf prints paths relative to
 * its working folder, the current workspace.
 */
function againstFile(sides: BreakingSides, bufPath: string): string {
  const { current, againstDir, target, against } = sides;
  const absolute = path.resolve(current.dir, bufPath);
  let relative: string;
  if (againstDir !== undefined && !path.relative(againstDir, absolute).startsWith("..")) {
    relative = path.relative(againstDir, absolute).split(path.sep).join("/");
  } else if (path.isAbsolute(bufPath)) {
    return bufPath;
  } else {
    relative = bufPath;
  }
  switch (target.kind) {
    case "git":
      return `${target.ref}:${path.posix.join(target.subdir, relative)}`;
    case "project":
      return path.join(target.root, relative);
    case "buf-input":
      return `${against}:${relative}`;
  }
}

function print(format: ErrorFormat, bufText: string, diagnostics: readonly BufDiagnostic[]): void {
  for (const finding of withEndPositions(diagnostics, bufText)) printFinding(format, finding);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
