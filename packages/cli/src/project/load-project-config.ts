import type { GrpcCfgConfig, LoadConfigOptions, ResolvedConfig } from "@grpc-cfg/runtime";
import { configErrorToCliError } from "../util/config-errors.js";

/**
 * Loads grpc-cfg.config.* through the runtime (env applied, validated, paths absolute),
 * turning a config problem into a {@link CliError} with a hint. Every command that reads the
 * project config goes through here. The runtime is imported lazily: it is heavy, and
 * every command module loads on each CLI start.
 */
export async function loadProjectConfig(
  cwd: string,
  overrides: GrpcCfgConfig = {},
  options: LoadConfigOptions = {},
): Promise<ResolvedConfig> {
  const { loadConfig } = await import("@grpc-cfg/runtime");
  try {
    return await loadConfig(cwd, overrides, options);
  } catch (error) {
    throw configErrorToCliError(error);
  }
}
