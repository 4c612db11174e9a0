import { statSync } from "node:fs";
import path from "node:path";
import { displayPath } from "../../project/find-project.js";
import {
  findConfigFile,
  loadGenerateSettings,
  type GenerateSettings,
} from "../../project/grpc-cfg-config.js";
import { CliError } from "../../util/cli-error.js";
import { hashFile } from "./fingerprint.js";
import type { CachedConfig, GenerateState } from "./generate-state.js";

/** Environment variable naming a template folder (between --templates and the config file). */
export const TEMPLATES_ENV = "GRPC_CFG_TEMPLATES";

/** Options of one generate run after flags, environment and config file are combined. */
export interface ResolvedSettings {
  /** Template folder to hand protoc-gen-grpc-cfg, overriding buf.gen.yaml; absolute. */
  readonly templates: string | undefined;
  /** Out folder replacing buf.gen.yaml's; absolute. */
  readonly out: string | undefined;
  /** The config as loaded or reused, to remember in the state file. */
  readonly config: CachedConfig | undefined;
}

/** Command-line values that take part. */
export interface SettingFlags {
  readonly templates?: string | undefined;
  readonly out?: string | undefined;
}

/**
 * Combines `--templates`/`--out`, `$GRPC_CFG_TEMPLATES` and grpc-cfg.config.ts (in that order
 * of precedence). The config file is loaded only when it or a local file it imports changed
 * since the last run; otherwise the settings remembered in the state file are reused, which
 * keeps a no-op run from paying for TypeScript start-up.
 */
export async function resolveSettings(
  projectRoot: string,
  flags: SettingFlags,
  previous: GenerateState | undefined,
): Promise<ResolvedSettings> {
  const config = await currentConfig(projectRoot, previous?.config);
  const fromConfig: GenerateSettings = config?.settings ?? {};
  const envTemplates = process.env[TEMPLATES_ENV];
  const templates = flags.templates
    ? checkedFolder(path.resolve(flags.templates), "--templates")
    : envTemplates
      ? checkedFolder(path.resolve(envTemplates), `$${TEMPLATES_ENV}`)
      : fromConfig.templates
        ? checkedFolder(fromConfig.templates, `generate.templates in ${displayPath(config!.file)}`)
        : undefined;
  const out = flags.out ? path.resolve(flags.out) : fromConfig.out;
  return { templates, out, config };
}

/**
 * Whether the settings remembered from the config file are still current (no config file
 * and none remembered, or the same file with the same sources). Cheap: hashes, no loading.
 */
export function rememberedConfigCurrent(
  projectRoot: string,
  cached: CachedConfig | undefined,
): boolean {
  const file = findConfigFile(projectRoot);
  if (!file) return true;
  return cached !== undefined && cached.file === file && sourcesUnchanged(cached);
}

async function currentConfig(
  projectRoot: string,
  cached: CachedConfig | undefined,
): Promise<CachedConfig | undefined> {
  const file = findConfigFile(projectRoot);
  if (!file) return undefined;
  if (rememberedConfigCurrent(projectRoot, cached)) return cached;
  const loaded = await loadGenerateSettings(file);
  const sourceHashes: Record<string, string> = {};
  for (const source of loaded.sourceFiles) sourceHashes[source] = hashFile(source) ?? "";
  return { file, sourceHashes, settings: loaded.settings };
}

function sourcesUnchanged(cached: CachedConfig): boolean {
  return Object.entries(cached.sourceHashes).every(([file, hash]) => hashFile(file) === hash);
}

function checkedFolder(folder: string, source: string): string {
  const stat = statSync(folder, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    throw new CliError(`template folder ${displayPath(folder)} (from ${source}) does not exist`, {
      hint: "Create it with grpc-cfg templates eject <folder>, or fix the path.",
    });
  }
  return folder;
}
