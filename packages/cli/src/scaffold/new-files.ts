import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { displayPath } from "../project/find-project.js";
import { CliError } from "../util/cli-error.js";

/** One file a scaffold command wants to create. */
export interface NewFile {
  /** Path relative to the target folder, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

/** The files among `files` that already exist below `root`. */
export function existingFiles(root: string, files: readonly NewFile[]): NewFile[] {
  return files.filter((file) => existsSync(path.join(root, file.path)));
}

/**
 * Throws a {@link CliError} naming every file of `files` that already exists, before anything
 * is written: scaffold commands never overwrite a file, and never leave half a scaffold.
 */
export function refuseExisting(root: string, files: readonly NewFile[], hint: string): void {
  const existing = existingFiles(root, files);
  if (existing.length === 0) return;
  const names = existing.map((file) => displayPath(path.join(root, file.path)));
  throw new CliError(
    existing.length === 1
      ? `${names[0]} already exists; it was left unchanged`
      : `these files already exist and were left unchanged: ${names.join(", ")}`,
    { hint },
  );
}

/**
 * Creates each file (and its folders). Opens with `wx`, so a file that appeared since the
 * check is still not overwritten: that one fails with a {@link CliError} naming it.
 */
export async function writeNewFiles(root: string, files: readonly NewFile[]): Promise<void> {
  for (const file of files) {
    const target = path.join(root, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, file.content, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      throw new CliError(
        `${displayPath(target)} appeared while scaffolding; it was left unchanged`,
        {
          hint: "Run the command again once nothing else writes to the folder.",
        },
      );
    }
  }
}
