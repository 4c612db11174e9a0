import { accessSync, constants, existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Folder of the @grpc-cfg/cli package (the one holding its package.json). */
export const cliPackageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Name and version from a package.json. */
export interface PackageInfo {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
}

/**
 * Every `node_modules/.bin` folder Node's resolution would look through from `fromDir`
 * upward, nearest first (only the ones that exist).
 */
export function nodeBinDirs(fromDir: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const bin = path.join(dir, "node_modules", ".bin");
    if (existsSync(bin)) dirs.push(bin);
    if (path.dirname(dir) === dir) return dirs;
  }
}

/**
 * The PATH protoc plugins run with: the project's `node_modules/.bin` folders first (a
 * project may pin its own ts-proto), then the CLI's own, then the inherited PATH.
 */
export function toolchainPath(projectRoot: string): string {
  const dirs = [...nodeBinDirs(projectRoot), ...nodeBinDirs(cliPackageDir)];
  const inherited = process.env.PATH ?? "";
  return [...new Set(dirs), inherited].filter((part) => part !== "").join(path.delimiter);
}

/** Finds `name` on a PATH value the way a shell would; `undefined` when it is not there. */
export function findExecutable(name: string, pathValue: string): string | undefined {
  for (const dir of pathValue.split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder; keep looking
    }
  }
  return undefined;
}

/**
 * Finds an installed package by walking `node_modules` folders upward from each of
 * `fromDirs` in turn (plain folder look-up: works whatever the package's `exports` allow).
 */
export function findPackage(name: string, fromDirs: readonly string[]): PackageInfo | undefined {
  for (const from of fromDirs) {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, "node_modules", name);
      const info = readPackageInfo(candidate);
      if (info) return info;
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** The package a file belongs to: the nearest folder above it with a package.json. */
export function packageOf(file: string): PackageInfo | undefined {
  let dir = path.dirname(realpathSync(file));
  for (;;) {
    const info = readPackageInfo(dir);
    if (info) return info;
    if (path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

/** Reads a package folder's name and version; `undefined` when it has no package.json. */
export function readPackageInfo(dir: string): PackageInfo | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, "package.json"), "utf8");
  } catch {
    return undefined;
  }
  const json = JSON.parse(text) as { name?: unknown; version?: unknown };
  return {
    dir: realpathSync(dir),
    name: typeof json.name === "string" ? json.name : path.basename(dir),
    version: typeof json.version === "string" ? json.version : "0.0.0",
  };
}
