import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";

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

// Near misses of the conventional names: any JavaScript or TypeScript extension, any case and
// separator, singular or plural (`grpc_service.ts`, `GrpcServices.tsx`, `grpc-handler.cjs`).
const NEAR_MISS_EXTENSION = /\.(?:[cm]?[jt]sx?)$/i;
const NEAR_MISS_STEMS: Readonly<Record<string, string>> = {
  grpcservice: "grpc-services",
  grpcservices: "grpc-services",
  grpchandler: "grpc-handlers",
  grpchandlers: "grpc-handlers",
};

/** A file that looks meant as an implementation module, and the name it should have. */
export interface NearMissModule {
  readonly file: string;
  /** The conventional name beside it, e.g. `/app/src/lab/grpc-services.ts`. */
  readonly suggested: string;
}

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Files under the app folders whose names are near misses of the conventional ones
 * (see {@link SERVICE_MODULE_NAMES}), and so are not loaded. Only looked for when a service
 * has no implementation, to say where it probably is.
 */
export function findNearMissModules(apps: readonly string[]): NearMissModule[] {
  const found = new Set(findServiceModules(apps));
  const misses: NearMissModule[] = [];
  for (const app of apps) {
    const files: string[] = [];
    walk(app, files);
    for (const file of files) {
      if (found.has(file) || /\.d\.[cm]?ts$/i.test(file)) continue;
      const extension = NEAR_MISS_EXTENSION.exec(file)?.[0];
      if (extension === undefined) continue;
      const stem = basename(file).slice(0, -extension.length);
      const ext = SERVICE_MODULE_EXTENSIONS.includes(extension) ? extension : ".ts";
      const conventional = NEAR_MISS_STEMS[normalise(stem)];
      if (conventional !== undefined) {
        misses.push({ file, suggested: join(dirname(file), `${conventional}${ext}`) });
      } else if (normalise(stem) === "grpc" && /^services?$/i.test(basename(dirname(file)))) {
        misses.push({ file, suggested: join(dirname(dirname(file)), "services", `grpc${ext}`) });
      }
    }
  }
  return misses.sort((a, b) => a.file.localeCompare(b.file));
}
