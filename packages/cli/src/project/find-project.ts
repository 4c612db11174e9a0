import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { CliError } from "../util/cli-error.js";

/** A grpc-cfg project on disk: the folder holding `buf.yaml`, found from the working folder. */
export interface Project {
  /** Absolute path of the folder holding `buf.yaml`. */
  readonly root: string;
  /** Absolute path of `buf.yaml`. */
  readonly bufYamlPath: string;
  /** Absolute path of `buf.gen.yaml` beside `buf.yaml`, if there is one. */
  readonly bufGenYamlPath: string | undefined;
}

/** Names a project's buf files may have, first match wins (buf's own defaults). */
const BUF_YAML_NAMES = ["buf.yaml", "buf.yml"] as const;
const BUF_GEN_YAML_NAMES = ["buf.gen.yaml", "buf.gen.yml"] as const;

/**
 * Finds the project that `startDir` belongs to: the nearest folder at or above it that holds a
 * `buf.yaml`, the way git finds `.git`. Throws a {@link CliError} naming the folder searched
 * when there is none.
 */
export function findProject(startDir: string): Project {
  const start = path.resolve(startDir);
  if (!existsSync(start) || !statSync(start).isDirectory()) {
    throw new CliError(`--cwd ${startDir}: no such folder`, {
      hint: "Pass the folder of a grpc-cfg project (the one holding buf.yaml).",
    });
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    const bufYamlPath = firstExisting(dir, BUF_YAML_NAMES);
    if (bufYamlPath) {
      return { root: dir, bufYamlPath, bufGenYamlPath: firstExisting(dir, BUF_GEN_YAML_NAMES) };
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new CliError(`no buf.yaml found in ${displayPath(start)} or any folder above it`, {
    hint: "Run grpc-cfg init to create a project here, or pass --cwd <project folder>.",
  });
}

/** Like {@link findProject}, but also requires the project's `buf.gen.yaml`. */
export function findGeneratingProject(startDir: string): Project & { bufGenYamlPath: string } {
  const project = findProject(startDir);
  if (!project.bufGenYamlPath) {
    throw new CliError(`no buf.gen.yaml beside ${displayPath(project.bufYamlPath)}`, {
      hint: "grpc-cfg generate needs the generation template; grpc-cfg init writes one.",
    });
  }
  return { ...project, bufGenYamlPath: project.bufGenYamlPath };
}

/**
 * A path as the user should see it: relative to the shell's working folder when it lies
 * below it (clickable in terminals and editors), absolute otherwise.
 */
export function displayPath(absolutePath: string): string {
  const relative = path.relative(process.cwd(), absolutePath);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? absolutePath : relative;
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
