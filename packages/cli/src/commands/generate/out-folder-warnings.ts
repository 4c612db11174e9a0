import path from "node:path";
import type { BufGenYaml } from "../../project/buf-config.js";
import { isGrpcCfgPlugin } from "../../toolchain/codegen-assets.js";

/**
 * The runtime's default for `generated` in grpc-cfg.config.ts: where `grpc-cfg serve` looks
 * for grpc-cfg.manifest.ts when the config does not say. A test keeps it equal to the
 * runtime's (which this module does not import: generate's no-op path must stay light).
 */
export const DEFAULT_GENERATED = "src/gen";

/** Where the output folder of one generate run comes from. */
export interface OutFolderSources {
  readonly projectRoot: string;
  /** buf.gen.yaml as written. */
  readonly template: BufGenYaml;
  /** grpc-cfg.config.* when the project has one. */
  readonly configFile: string | undefined;
  /** `generated` of the config file, absolute, when it sets one. */
  readonly configOut: string | undefined;
  /** `--out`, absolute, when given. */
  readonly flagOut: string | undefined;
}

/**
 * Warnings about the output folder. `generated` in grpc-cfg.config.ts is the one place that
 * says where generated code lives: `serve` loads the manifest from there and `generate`
 * writes there, replacing buf.gen.yaml's `out:`. Without it, generate keeps buf.gen.yaml's
 * `out:` while serve looks in the default src/gen. Either way, a disagreement is said aloud
 * instead of being settled silently.
 */
export function outFolderWarnings(sources: OutFolderSources): string[] {
  const { projectRoot, template, configFile, configOut, flagOut } = sources;
  const show = (folder: string) => relative(projectRoot, folder);
  const warnings: string[] = [];
  const configName = configFile ? path.basename(configFile) : "grpc-cfg.config.ts";
  const bufOuts = [
    ...new Set(template.plugins.map((plugin) => path.resolve(projectRoot, plugin.out))),
  ];
  if (configOut !== undefined && flagOut === undefined) {
    const overridden = bufOuts.filter((folder) => folder !== configOut);
    if (overridden.length > 0) {
      warnings.push(
        `${configName} sets generated: "${show(configOut)}", which replaces ` +
          `out: ${overridden.map(show).join(", ")} in buf.gen.yaml; writing to ${show(configOut)}. ` +
          "Give both the same folder to silence this warning.",
      );
    }
  }
  const grpcCfgPlugin = template.plugins.find((plugin) => isGrpcCfgPlugin(plugin.local));
  if (grpcCfgPlugin === undefined) return warnings;
  const written = flagOut ?? configOut ?? path.resolve(projectRoot, grpcCfgPlugin.out);
  const served = configOut ?? path.resolve(projectRoot, DEFAULT_GENERATED);
  if (written === served) return warnings;
  if (configOut !== undefined) {
    warnings.push(
      `--out ${show(written)} is not where grpc-cfg serve looks for the generated code: ` +
        `${show(served)} (generated in ${configName})`,
    );
  } else {
    const from = flagOut === undefined ? "out: in buf.gen.yaml" : "--out";
    const fix = configFile
      ? `add generated: "${show(written)}" to ${configName}`
      : `create grpc-cfg.config.ts with: export default { generated: "${show(written)}" }`;
    warnings.push(
      `protoc-gen-grpc-cfg writes to ${show(written)} (${from}), but grpc-cfg serve looks for ` +
        `grpc-cfg.manifest.ts in ${show(served)} (the default of "generated"); ${fix}`,
    );
  }
  return warnings;
}

function relative(projectRoot: string, folder: string): string {
  const result = path.relative(projectRoot, folder).split(path.sep).join("/");
  return result === "" ? "." : result;
}
