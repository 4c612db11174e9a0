import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GeneratedManifest, ServiceManifestEntry } from "../contracts/method-table.js";
import { importModule } from "./module-loader.js";

/** Manifest file names looked for in the generated folder, in order. */
export const MANIFEST_FILE_NAMES: readonly string[] = [
  "grpc-cfg.manifest.ts",
  "grpc-cfg.manifest.mts",
  "grpc-cfg.manifest.js",
  "grpc-cfg.manifest.mjs",
];

/** The manifest and the file it came from. */
export interface LoadedManifest extends GeneratedManifest {
  readonly file: string;
}

/**
 * Imports `grpc-cfg.manifest.*` from the generated folder and checks its shape. Throws with
 * a hint to run `grpc-cfg generate` when it is missing or malformed.
 */
export async function loadManifest(generatedDir: string): Promise<LoadedManifest> {
  const file = MANIFEST_FILE_NAMES.map((name) => join(generatedDir, name)).find(existsSync);
  if (file === undefined) {
    throw new Error(
      `No grpc-cfg.manifest.ts in ${generatedDir}: run \`grpc-cfg generate\` (or fix "generated" in grpc-cfg.config.ts)`,
    );
  }
  const module = await importModule(file);
  const services = module["services"];
  const descriptorSet = module["descriptorSet"];
  if (!Array.isArray(services) || !(descriptorSet instanceof Uint8Array)) {
    throw new Error(
      `${file} must export \`services\` (array) and \`descriptorSet\` (Uint8Array): regenerate it with \`grpc-cfg generate\``,
    );
  }
  return { file, services: services as ServiceManifestEntry[], descriptorSet };
}
