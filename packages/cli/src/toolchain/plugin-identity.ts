import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { CliError } from "../util/cli-error.js";
import { listFiles } from "../util/file-walk.js";
import { findExecutable, packageOf, type PackageInfo } from "./node-packages.js";

/** Where a local protoc plugin lives and a string that changes whenever its code does. */
export interface PluginIdentity {
  /** The program as buf.gen.yaml names it. */
  readonly program: string;
  /** Absolute path of the executable that will run. */
  readonly executable: string;
  /** `name@version` of its npm package, plus a file signature for linked (workspace) packages. */
  readonly identity: string;
}

/** Hints for plugins grpc-cfg knows how to install. */
const INSTALL_HINTS: Record<string, string> = {
  "protoc-gen-ts_proto": "npm install --save-dev ts-proto",
  "protoc-gen-grpc-cfg": "npm install --save-dev @grpc-cfg/codegen",
};

/**
 * Finds the executable buf will start for a `local:` plugin (with the PATH grpc-cfg gives buf)
 * and identifies its version. A package installed from the registry is identified by its
 * version; a linked package (a workspace folder being developed) also by the size and mtime
 * of its files, so rebuilding the plugin invalidates earlier generate runs.
 */
export function identifyPlugin(
  program: string,
  pathValue: string,
  projectRoot: string,
): PluginIdentity {
  const executable = program.includes("/")
    ? path.resolve(projectRoot, program)
    : findExecutable(program, pathValue);
  if (!executable || !isFile(executable)) {
    throw new CliError(`protoc plugin ${program} (named in buf.gen.yaml) was not found`, {
      hint: `${INSTALL_HINTS[program] ?? `Install ${program}`}, or fix the plugin's local: entry.`,
    });
  }
  const pkg = packageOf(executable);
  if (!pkg) return { program, executable, identity: fileSignature(executable) };
  return { program, executable, identity: packageIdentity(pkg) };
}

/**
 * `name@version` of a package; for a linked package (a workspace folder, not under
 * node_modules) also a signature of its files (or of `subdir` only), since its code changes
 * without a version bump.
 */
export function packageIdentity(pkg: PackageInfo, subdir = ""): string {
  const linked = !pkg.dir.split(path.sep).includes("node_modules");
  const signature = linked ? `+${folderSignature(path.join(pkg.dir, subdir))}` : "";
  return `${pkg.name}@${pkg.version}${signature}`;
}

/**
 * A hash of the paths, sizes and mtimes of the files in a folder that can change what a
 * package does: node_modules, source maps, build info and — when the package is built into
 * dist/ — its src/ (tests and sources edited but not yet built) are left out.
 */
export function folderSignature(dir: string): string {
  const hash = createHash("sha256");
  const built = existsSync(path.join(dir, "dist"));
  const relevant = (file: string): boolean =>
    !(built && file.startsWith("src/")) && !file.endsWith(".map") && !file.endsWith(".tsbuildinfo");
  for (const file of listFiles(dir).filter(relevant)) {
    const stat = statSync(path.join(dir, file), { throwIfNoEntry: false });
    if (stat) hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

function fileSignature(file: string): string {
  const stat = statSync(file);
  return `${file}:${stat.size}:${stat.mtimeMs}`;
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
