import { existsSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { importModule } from "../discovery/module-loader.js";
import { isThenable } from "../util/is-thenable.js";
import { ConfigError } from "./config-error.js";
import type { GrpcCfgConfig, ResolvedConfig } from "./config-types.js";
import { describeLoadFailure } from "./load-failure.js";
import { resolveConfig } from "./resolve-config.js";

/** Config file names looked for in the project root, in order. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  "grpc-cfg.config.ts",
  "grpc-cfg.config.mts",
  "grpc-cfg.config.js",
  "grpc-cfg.config.mjs",
];

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Use this file instead of looking for one (must exist). */
  readonly configFile?: string;
  /** Environment for overrides. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Finds the config file in `root`, or null. */
export function findConfigFile(root: string): string | null {
  for (const name of CONFIG_FILE_NAMES) {
    const file = join(root, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Extensions a config file given with `configFile` may have. */
const LOADABLE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/**
 * Loads `grpc-cfg.config.{ts,mts,js,mjs}` from `cwd` (TypeScript through tsx), applies the
 * environment and `overrides` (e.g. CLI flags), validates and fills defaults. Works with no
 * file at all. Throws {@link ConfigError} naming each bad field, or saying why the file could
 * not be loaded.
 */
export async function loadConfig(
  cwd: string,
  overrides: GrpcCfgConfig = {},
  options: LoadConfigOptions = {},
): Promise<ResolvedConfig> {
  const root = resolve(cwd);
  const file = options.configFile ? resolve(root, options.configFile) : findConfigFile(root);
  if (options.configFile && (file === null || !existsSync(file))) {
    throw new ConfigError([`config file not found: ${file}`], null);
  }
  const config = file === null ? {} : await readConfigFile(file);
  return resolveConfig(config, {
    root,
    overrides,
    configFile: file,
    ...(options.env ? { env: options.env } : {}),
  });
}

/** Imports `file` and returns its exported config object (awaited when it is a Promise). */
async function readConfigFile(file: string): Promise<GrpcCfgConfig> {
  const extension = extname(file);
  if (!LOADABLE_EXTENSIONS.includes(extension)) {
    const what = extension ? `a ${extension} file` : "a file without an extension";
    const supported = `${LOADABLE_EXTENSIONS.slice(0, -1).join(", ")} or ${LOADABLE_EXTENSIONS.at(-1)}`;
    throw new ConfigError([`(config): cannot load ${what}; use ${supported}`], file);
  }
  let exported: unknown;
  try {
    exported = exportedConfig(await importModule(file));
    // `export default loadSettings()` from an async helper: what it resolves to is the config.
    if (isThenable(exported)) exported = await exported;
  } catch (error) {
    throw new ConfigError([describeLoadFailure(error, file)], file);
  }
  if (exported === null || typeof exported !== "object" || Array.isArray(exported)) {
    throw new ConfigError(["(config): the file must `export default defineConfig({ ... })`"], file);
  }
  return exported as GrpcCfgConfig;
}

function exportedConfig(module: Record<string, unknown>): unknown {
  let exports = module;
  // A .ts file outside a "type": "module" package is compiled to CommonJS, and import() then
  // gives its whole `module.exports` (flagged `__esModule` by esbuild) as the default export.
  const inner = module["default"];
  if (inner !== null && typeof inner === "object" && "__esModule" in inner && inner.__esModule) {
    exports = inner as Record<string, unknown>;
  }
  return exports["default"] ?? exports["config"];
}
