import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { importModule } from "../discovery/module-loader.js";
import { ConfigError } from "./config-error.js";
import type { GrpcCfgConfig, ResolvedConfig } from "./config-types.js";
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

/**
 * Loads `grpc-cfg.config.{ts,mts,js,mjs}` from `cwd` (TypeScript through tsx), applies the
 * environment and `overrides` (e.g. CLI flags), validates and fills defaults. Works with no
 * file at all. Throws {@link ConfigError} naming each bad field.
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
  let config: GrpcCfgConfig = {};
  if (file !== null) {
    const module = await importModule(file);
    const exported = module["default"] ?? module["config"];
    if (exported === null || typeof exported !== "object" || Array.isArray(exported)) {
      throw new ConfigError(
        ["(config): the file must `export default defineConfig({ ... })`"],
        file,
      );
    }
    config = exported as GrpcCfgConfig;
  }
  return resolveConfig(config, {
    root,
    overrides,
    configFile: file,
    ...(options.env ? { env: options.env } : {}),
  });
}
