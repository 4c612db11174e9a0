import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Conventional implementation module names (without extension), relative to any folder. */
export const SERVICE_MODULE_NAMES: readonly string[] = [
  "grpc-services",
  "grpc-handlers",
  `services${sep}grpc`,
];

/** Extensions tried, in preference order: a `.ts` source wins over its `.js` build beside it. */
export const SERVICE_MODULE_EXTENSIONS: readonly string[] = [".ts", ".mts", ".js", ".mjs"];

const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "coverage"]);

function walk(dir: string, found: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !SKIPPED_DIRS.has(entry.name)) {
        walk(join(dir, entry.name), found);
      }
    } else if (entry.isFile()) {
      found.push(join(dir, entry.name));
    }
  }
}

function conventionalStem(file: string): string | null {
  if (file.endsWith(".d.ts") || file.endsWith(".d.mts")) return null;
  const ext = SERVICE_MODULE_EXTENSIONS.find((candidate) => file.endsWith(candidate));
  if (ext === undefined) return null;
  const stem = file.slice(0, -ext.length);
  const matches = SERVICE_MODULE_NAMES.some(
    (name) => stem === name || stem.endsWith(`${sep}${name}`),
  );
  return matches ? stem : null;
}

/**
 * Finds implementation modules under each app folder (recursively; skipping node_modules,
 * dist, build, coverage and dot-folders). One file per stem: `grpc-services.ts` beside
 * `grpc-services.js` yields only the `.ts`. Throws when an app folder does not exist.
 */
export function findServiceModules(apps: readonly string[]): string[] {
  const byStem = new Map<string, string>();
  for (const app of apps) {
    if (!existsSync(app) || !statSync(app).isDirectory()) {
      throw new Error(`App folder not found: ${app} (check "apps" in grpc-cfg.config.ts)`);
    }
    const files: string[] = [];
    walk(app, files);
    for (const file of files) {
      const stem = conventionalStem(relative(app, file));
      if (stem === null) continue;
      const key = join(app, stem);
      const current = byStem.get(key);
      const rank = (f: string) => SERVICE_MODULE_EXTENSIONS.findIndex((ext) => f.endsWith(ext));
      if (current === undefined || rank(file) < rank(current)) byStem.set(key, file);
    }
  }
  return [...new Set(byStem.values())].sort();
}
