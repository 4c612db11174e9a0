import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Folders no walk descends into: dependencies, VCS data and grpc-cfg's own state. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".grpc-cfg"]);

/**
 * Lists the files below `dir` (relative paths with `/` separators, sorted), skipping
 * node_modules, .git and .grpc-cfg. Symlinked folders are followed (buf follows them too).
 * A missing `dir` yields an empty list.
 */
export function listFiles(dir: string, filter: (name: string) => boolean = () => true): string[] {
  const files: string[] = [];
  const visit = (absolute: string, relative: string): void => {
    let entries;
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const childRelative = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const childAbsolute = path.join(absolute, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(childAbsolute))) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(childAbsolute, childRelative);
      } else if (filter(entry.name)) {
        files.push(childRelative);
      }
    }
  };
  visit(dir, "");
  return files.sort();
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false; // a dangling symlink
  }
}
