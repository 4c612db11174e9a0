import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { CliError } from "../util/cli-error.js";
import { displayPath } from "./find-project.js";

/** Names the project config may have, in the order they are looked for. */
export const CONFIG_FILE_NAMES = [
  "grpc-cfg.config.ts",
  "grpc-cfg.config.mts",
  "grpc-cfg.config.js",
  "grpc-cfg.config.mjs",
] as const;

/**
 * What `grpc-cfg generate` reads from grpc-cfg.config.ts, paths made absolute:
 * `generated` (the runtime's folder of generated code, where the manifest is looked for) and
 * `generate.templates`.
 */
export interface GenerateSettings {
  /** Folder of user templates for protoc-gen-grpc-cfg (`generate.templates`). */
  readonly templates?: string;
  /** Output folder replacing every plugin's `out:` in buf.gen.yaml (`generated`). */
  readonly out?: string;
}

/** A loaded config: the settings plus every project file it was built from (for fingerprints). */
export interface LoadedGenerateSettings {
  readonly settings: GenerateSettings;
  /** The config file and the project modules it imports (not packages). */
  readonly sourceFiles: readonly string[];
}

/** The project's config file, if it has one. Cheap: a few `stat` calls. */
export function findConfigFile(projectRoot: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(projectRoot, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Loads the config file (TypeScript through tsx, imported lazily because it is slow to start)
 * and reads the settings generate uses. The config is `export default defineConfig({...})`; a
 * default-exported function is called. Throws a {@link CliError} naming a bad field.
 */
export async function loadGenerateSettings(configFile: string): Promise<LoadedGenerateSettings> {
  const sourceFiles = new Set<string>([configFile]);
  // The project's own modules the config imports; packages (even linked ones) are not config.
  const projectPrefix = `${pathToFileURL(path.dirname(configFile)).href}/`;
  let loaded: unknown;
  try {
    const { tsImport } = await import("tsx/esm/api");
    const module = (await tsImport(pathToFileURL(configFile).href, {
      parentURL: import.meta.url,
      onImport(url: string) {
        if (url.startsWith(projectPrefix) && !url.includes("/node_modules/")) {
          sourceFiles.add(fileURLToPath(url));
        }
      },
    })) as Record<string, unknown>;
    loaded = module.default ?? module.config;
    // A .ts file outside a "type": "module" package loads as CommonJS: default sits one deeper.
    if (
      isObject(loaded) &&
      isObject(loaded.default) &&
      !("generate" in loaded || "generated" in loaded)
    ) {
      loaded = loaded.default;
    }
    // As in the runtime's loadConfig: a Promise of the config is the config.
    if (isObject(loaded) && typeof loaded.then === "function") loaded = await loaded;
    if (typeof loaded === "function") loaded = await (loaded as () => unknown)();
  } catch (error) {
    throw new CliError(`${displayPath(configFile)} failed to load: ${messageOf(error)}`, {
      hint: "Fix the config file; it must default-export defineConfig({ ... }).",
      cause: error,
    });
  }
  return { settings: readGenerateSection(loaded, configFile), sourceFiles: [...sourceFiles] };
}

/** Validates the settings generate uses from an already-loaded config object. */
export function readGenerateSection(config: unknown, configFile: string): GenerateSettings {
  const where = displayPath(configFile);
  if (config === undefined || config === null) return {};
  if (typeof config !== "object")
    throw new CliError(`${where}: the default export must be an object`);
  const base = path.dirname(configFile);
  const settings: { templates?: string; out?: string } = {};
  const generated = (config as { generated?: unknown }).generated;
  if (generated !== undefined) settings.out = folder(generated, "generated", where, base);
  const generate = (config as { generate?: unknown }).generate;
  if (generate === undefined) return settings;
  if (typeof generate !== "object" || generate === null) {
    throw new CliError(`${where}: generate must be an object like { templates: "./templates" }`);
  }
  const templates = (generate as Record<string, unknown>).templates;
  if (templates !== undefined)
    settings.templates = folder(templates, "generate.templates", where, base);
  return settings;
}

function folder(value: unknown, key: string, where: string, base: string): string {
  if (typeof value !== "string" || value === "") {
    throw new CliError(`${where}: ${key} must be a folder path (a string)`, {
      hint: `Got ${JSON.stringify(value)}.`,
    });
  }
  return path.resolve(base, value);
}

/** The error's message, at most a few lines (esbuild puts the position on the second). */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(0, 4)
    .join("\n  ");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
