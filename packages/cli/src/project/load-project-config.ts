import type { GrpcCfgConfig, LoadConfigOptions, ResolvedConfig } from "@grpc-cfg/runtime";
import { CliError } from "../util/cli-error.js";

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
  const { ConfigError, loadConfig } = await import("@grpc-cfg/runtime");
  try {
    return await loadConfig(cwd, overrides, options);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(error.message, {
        hint: "fix grpc-cfg.config.ts (or the environment variables it reads)",
      });
    }
    throw error;
  }
}
