import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import type { BufYaml } from "../project/buf-config.js";
import { CliError } from "../util/cli-error.js";
import { OPTIONS_PROTO } from "./codegen-assets.js";

/** Top-level entries of a project buf never needs and must not see (node_modules holds protos). */
const NOT_MIRRORED = new Set([
  "node_modules",
  ".git",
  ".grpc-cfg",
  "buf.yaml",
  "buf.yml",
  "buf.gen.yaml",
  "buf.gen.yml",
]);

/** Folder name of the options module added to workspaces that list their modules. */
const OPTIONS_MODULE = "_grpc_cfg_options";

/**
 * A throw-away buf workspace that looks exactly like the project (every top-level entry is a
 * symlink into it, so paths in buf's messages are project-relative) plus grpc-cfg's
 * `grpc_cfg/v1/options.proto`, so user protos import it without copying it. node_modules is
 * left out: buf does not skip it and would compile every .proto a dependency ships.
 */
export interface BufWorkspace {
  /** Absolute path of the workspace folder; run buf with this as cwd. */
  readonly dir: string;
  /**
   * Workspace-relative folder holding the added options file, for `--exclude-path` (lint and
   * breaking must judge only the user's protos); `undefined` when the project has its own.
   */
  readonly optionsExcludePath: string | undefined;
  /** Maps a path buf printed (workspace-relative) to the real file it names. */
  realPath(bufPath: string): string;
  /** Deletes the workspace (the symlinks, never what they point at). */
  dispose(): Promise<void>;
}

/** What {@link createBufWorkspace} mirrors. */
export interface BufWorkspaceSource {
  /** The folder holding buf.yaml (the project root, or an extracted git revision of it). */
  readonly root: string;
  readonly bufYaml: BufYaml;
  /** Text of buf.yaml, copied unchanged when no module has to be added. */
  readonly bufYamlPath: string;
  /**
   * Proto root of @grpc-cfg/codegen holding grpc_cfg/v1/options.proto; without it (codegen
   * not installed) the workspace has no options and buf reports imports of them.
   */
  readonly optionsProtoRoot: string | undefined;
  /** buf.gen.yaml content to write into the workspace (generate only). */
  readonly bufGenYaml?: Record<string, unknown>;
}

/** Builds a {@link BufWorkspace} in the system temp folder. */
export async function createBufWorkspace(source: BufWorkspaceSource): Promise<BufWorkspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-ws-"));
  try {
    for (const entry of await readdir(source.root)) {
      if (NOT_MIRRORED.has(entry)) continue;
      await symlink(path.join(source.root, entry), path.join(dir, entry));
    }
    const overlay = await addOptionsOverlay(dir, source);
    if (source.bufGenYaml) {
      await writeFile(path.join(dir, "buf.gen.yaml"), stringify(source.bufGenYaml));
    }
    return {
      dir,
      optionsExcludePath: overlay?.excludePath,
      realPath(bufPath) {
        const relative = path.isAbsolute(bufPath) ? path.relative(dir, bufPath) : bufPath;
        if (overlay && isInside(relative, overlay.linkPath)) {
          return path.join(overlay.target, path.relative(overlay.linkPath, relative));
        }
        return path.resolve(source.root, relative);
      },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Overlay {
  /** Workspace-relative path of the symlink. */
  readonly linkPath: string;
  /** What the symlink points at. */
  readonly target: string;
  readonly excludePath: string;
}

async function addOptionsOverlay(
  dir: string,
  source: BufWorkspaceSource,
): Promise<Overlay | undefined> {
  const { bufYaml, root, optionsProtoRoot } = source;
  const hasOwnOptions = bufYaml.modules.some((m) =>
    existsSync(path.join(root, m.path, OPTIONS_PROTO)),
  );
  if (hasOwnOptions || optionsProtoRoot === undefined) {
    await copyFile(source.bufYamlPath, path.join(dir, "buf.yaml"));
    return undefined;
  }
  const rootModule = bufYaml.modules.some((m) => m.path === ".");
  if (!rootModule) {
    // The options become a module of their own beside the project's.
    const modules = [...asList(bufYaml.raw.modules), { path: OPTIONS_MODULE }];
    await writeFile(path.join(dir, "buf.yaml"), stringify({ ...bufYaml.raw, modules }));
    await symlink(optionsProtoRoot, path.join(dir, OPTIONS_MODULE));
    return {
      linkPath: OPTIONS_MODULE,
      target: optionsProtoRoot,
      excludePath: `${OPTIONS_MODULE}/grpc_cfg`,
    };
  }
  // The project is one module at its root: modules may not nest, so the options' folder is
  // linked into that root module instead.
  if (existsSync(path.join(root, "grpc_cfg"))) {
    throw new CliError(`${path.join(root, "grpc_cfg")} exists but has no v1/options.proto`, {
      hint: "grpc_cfg/ is grpc-cfg's proto package; rename your folder or add the options file.",
    });
  }
  await copyFile(source.bufYamlPath, path.join(dir, "buf.yaml"));
  const target = path.join(optionsProtoRoot, "grpc_cfg");
  await symlink(target, path.join(dir, "grpc_cfg"));
  return { linkPath: "grpc_cfg", target, excludePath: "grpc_cfg" };
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
