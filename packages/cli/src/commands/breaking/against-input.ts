import { existsSync } from "node:fs";
import path from "node:path";
import { CliError } from "../../util/cli-error.js";
import { runProcess } from "../../util/process-runner.js";

/** What `--against` names, worked out from what the user typed. */
export type AgainstTarget =
  /** A revision of the project in its git repository. */
  | { readonly kind: "git"; readonly gitTop: string; readonly ref: string; readonly subdir: string }
  /** Another copy of the project on disk (a folder holding buf.yaml). */
  | { readonly kind: "project"; readonly root: string }
  /** Any other buf input (an image file, a folder of protos, a tarball…), passed to buf as is. */
  | { readonly kind: "buf-input"; readonly input: string };

/**
 * Interprets `--against`:
 * - buf's git syntax (`.git#branch=main`, `../.git#ref=v1,subdir=proto`) → that revision;
 * - an existing path → another project copy (if it holds buf.yaml) or a buf input;
 * - anything else that git knows as a commit (`main`, `v1.2.0`, `HEAD~1`) → that revision of
 *   the current project, in its repository.
 */
export async function resolveAgainst(value: string, projectRoot: string): Promise<AgainstTarget> {
  const hash = value.indexOf("#");
  if (hash >= 0) {
    const location = value.slice(0, hash);
    const absolute = path.resolve(location);
    if (path.basename(location) === ".git") {
      if (!existsSync(absolute)) {
        throw new CliError(`--against ${value}: ${absolute} does not exist`, {
          hint: "buf's .git#… form is relative to the working folder; give the path to .git, or just the ref (--against main).",
        });
      }
      return parseGitInput(absolute, value.slice(hash + 1), value);
    }
    return { kind: "buf-input", input: `${absolute}${value.slice(hash)}` };
  }
  if (existsSync(value)) {
    const absolute = path.resolve(value);
    return existsSync(path.join(absolute, "buf.yaml"))
      ? { kind: "project", root: absolute }
      : { kind: "buf-input", input: absolute };
  }
  const gitTop = await gitToplevel(projectRoot);
  if (gitTop && (await isCommit(gitTop, value))) {
    return { kind: "git", gitTop, ref: value, subdir: toPosix(path.relative(gitTop, projectRoot)) };
  }
  throw new CliError(
    `--against ${value}: not a git ref${gitTop ? "" : " (no git repository here)"}, nor a path`,
    {
      hint: "Name a branch, tag or commit (main, v1.0.0, HEAD~1), a folder, or a buf input such as .git#branch=main.",
    },
  );
}

/**
 * The buf input for a git target: `<repo>/.git#ref=<ref>,subdir=<dir>` — buf's own form of a
 * bare ref the user typed.
 */
export function bufGitInput(target: Extract<AgainstTarget, { kind: "git" }>): string {
  const subdir = target.subdir === "" ? "" : `,subdir=${target.subdir}`;
  return `${path.join(target.gitTop, ".git")}#ref=${target.ref}${subdir}`;
}

function parseGitInput(gitDir: string, options: string, original: string): AgainstTarget {
  const fields = new Map(
    options.split(",").map((pair) => {
      const eq = pair.indexOf("=");
      return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()] as const;
    }),
  );
  const ref = fields.get("ref") ?? fields.get("branch") ?? fields.get("tag");
  if (!ref) {
    throw new CliError(`--against ${original}: name a ref=, branch= or tag= after #`, {
      hint: "For example: --against .git#branch=main",
    });
  }
  return { kind: "git", gitTop: path.dirname(gitDir), ref, subdir: fields.get("subdir") ?? "" };
}

async function gitToplevel(dir: string): Promise<string | undefined> {
  const result = await runGit(["rev-parse", "--show-toplevel"], dir);
  return result?.code === 0 ? result.stdout.trim() : undefined;
}

async function isCommit(gitTop: string, ref: string): Promise<boolean> {
  if (ref.startsWith("-")) return false; // never let a value turn into a git option
  const result = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], gitTop);
  return result?.code === 0;
}

async function runGit(args: readonly string[], cwd: string) {
  try {
    return await runProcess("git", args, { cwd });
  } catch {
    return undefined; // git is not installed
  }
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join("/");
}
