import path from "node:path";
import { isRecord, type BufYaml } from "../../project/buf-config.js";

/**
 * The paths (files or folders, relative to buf.yaml's folder, `/`-separated) that buf lint
 * ignores entirely: `lint.ignore` of buf.yaml, where a v2 module with a `lint:` of its own
 * uses its own list instead (buf's rule: a module's lint settings replace the workspace's).
 * These are vendored or generated protos the team does not own, so `grpc-cfg lint` leaves
 * their formatting alone too. `ignore_only` is per rule and never covers formatting.
 */
export function lintIgnoredPaths(bufYaml: BufYaml): string[] {
  const workspaceIgnores = ignoreList(bufYaml.raw.lint);
  if (!bufYaml.explicitModules) return workspaceIgnores;
  const modules = Array.isArray(bufYaml.raw.modules) ? bufYaml.raw.modules : [];
  const ignored = new Set<string>();
  bufYaml.modules.forEach((module, index) => {
    const raw: unknown = modules[index];
    const own = isRecord(raw) && isRecord(raw.lint) ? ignoreList(raw.lint) : undefined;
    for (const entry of own ?? workspaceIgnores) {
      // An entry applies to the files of this module under it, or to the whole module.
      if (isInside(entry, module.path)) ignored.add(entry);
      else if (isInside(module.path, entry)) ignored.add(module.path);
    }
  });
  return [...ignored];
}

/** Whether `file` (relative to buf.yaml's folder) is one of `ignored` or inside one of them. */
export function isLintIgnored(file: string, ignored: readonly string[]): boolean {
  const normalised = normalise(file);
  return ignored.some((entry) => isInside(normalised, entry));
}

function ignoreList(lint: unknown): string[] {
  if (!isRecord(lint) || !Array.isArray(lint.ignore)) return [];
  return lint.ignore.filter((entry): entry is string => typeof entry === "string").map(normalise);
}

function normalise(relative: string): string {
  const posix = path.posix.normalize(relative.split(path.sep).join("/"));
  return posix.replace(/\/+$/, "") || ".";
}

function isInside(child: string, parent: string): boolean {
  if (parent === ".") return true;
  return child === parent || child.startsWith(`${parent}/`);
}
