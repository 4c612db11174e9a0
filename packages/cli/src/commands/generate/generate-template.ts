import path from "node:path";
import type { BufGenYaml } from "../../project/buf-config.js";
import { isGrpcCfgPlugin } from "../../toolchain/codegen-assets.js";
import { CliError } from "../../util/cli-error.js";

/** Changes grpc-cfg makes to buf.gen.yaml for one run (the user's file is never edited). */
export interface TemplateOverrides {
  /** Absolute folder of user templates for protoc-gen-grpc-cfg. */
  readonly templates: string | undefined;
  /** Absolute folder replacing every plugin's out. */
  readonly out: string | undefined;
}

/** The amended template and the out folders it writes to. */
export interface RunTemplate {
  /** buf.gen.yaml content to run with, from inside the mirrored workspace. */
  readonly content: Record<string, unknown>;
  /** Out folders, project-relative. */
  readonly outDirs: readonly string[];
}

/**
 * Prepares buf.gen.yaml for a run from the mirrored workspace: relative plugin paths and
 * inputs that leave the project become absolute (the workspace mirrors only the project),
 * protoc-gen-grpc-cfg gets `templates=<dir>` when a template folder is chosen, and `out:`
 * is replaced when an out folder is configured.
 */
export function buildRunTemplate(
  template: BufGenYaml,
  projectRoot: string,
  overrides: TemplateOverrides,
): RunTemplate {
  const outOverride =
    overrides.out === undefined ? undefined : insideProject(projectRoot, overrides.out);
  const plugins = template.plugins.map((plugin) => {
    const entry: Record<string, unknown> = { ...plugin.raw };
    if (typeof plugin.local === "string") entry.local = absoluteIfPath(plugin.local, projectRoot);
    else if (plugin.local)
      entry.local = plugin.local.map((word) => absoluteIfPath(word, projectRoot));
    if (outOverride !== undefined) entry.out = outOverride;
    if (isGrpcCfgPlugin(plugin.local))
      entry.opt = grpcCfgOptions(entry.opt, projectRoot, overrides.templates);
    return entry;
  });
  const content: Record<string, unknown> = { ...template.raw, plugins };
  if (template.inputs)
    content.inputs = template.inputs.map((input) => absoluteInput(input, projectRoot));
  const outDirs = plugins.map((plugin) => String(plugin.out));
  return { content, outDirs };
}

/** The `templates=` folder protoc-gen-grpc-cfg is given in buf.gen.yaml itself, if any. */
export function templatesOption(template: BufGenYaml, projectRoot: string): string | undefined {
  for (const plugin of template.plugins) {
    if (!isGrpcCfgPlugin(plugin.local)) continue;
    const value = splitOptions(plugin.raw.opt).find((option) => option.startsWith("templates="));
    if (value) return path.resolve(projectRoot, value.slice("templates=".length));
  }
  return undefined;
}

function grpcCfgOptions(
  opt: unknown,
  projectRoot: string,
  templates: string | undefined,
): string[] {
  const options = splitOptions(opt).map((option) =>
    option.startsWith("templates=")
      ? `templates=${path.resolve(projectRoot, option.slice("templates=".length))}`
      : option,
  );
  if (templates === undefined) return options;
  return [
    ...options.filter((option) => !option.startsWith("templates=")),
    `templates=${templates}`,
  ];
}

/** buf accepts `opt` as one comma-separated string or a list; normalise to a list. */
function splitOptions(opt: unknown): string[] {
  const parts = typeof opt === "string" ? [opt] : Array.isArray(opt) ? opt.map(String) : [];
  return parts
    .flatMap((part) => part.split(","))
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function absoluteIfPath(word: string, projectRoot: string): string {
  return word.includes("/") && !path.isAbsolute(word) ? path.resolve(projectRoot, word) : word;
}

function absoluteInput(
  input: Record<string, unknown>,
  projectRoot: string,
): Record<string, unknown> {
  const result = { ...input };
  for (const key of [
    "directory",
    "proto_file",
    "binary_image",
    "json_image",
    "text_image",
    "yaml_image",
    "tarball",
    "zip_archive",
  ]) {
    const value = result[key];
    if (typeof value !== "string" || path.isAbsolute(value) || value.includes("://")) continue;
    const absolute = path.resolve(projectRoot, value);
    if (path.relative(projectRoot, absolute).startsWith("..")) result[key] = absolute;
  }
  return result;
}

function insideProject(projectRoot: string, folder: string): string {
  const relative = path.relative(projectRoot, path.resolve(projectRoot, folder));
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new CliError(`out folder ${folder} must be a subfolder of the project ${projectRoot}`, {
      hint: "Generated code lives inside the project, e.g. src/gen.",
    });
  }
  return relative.split(path.sep).join("/");
}
