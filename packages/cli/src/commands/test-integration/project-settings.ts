import path from "node:path";
import type { ResolvedConfig } from "@grpc-cfg/runtime";
import { SECRET_KEY_ENV } from "@grpc-cfg/store";
import { loadProjectConfig } from "../../project/load-project-config.js";
import { CliError } from "../../util/cli-error.js";

/**
 * The config step: loads grpc-cfg.config.* (a config problem becomes a CLI error with a
 * hint) and resolves `--app`. The detail names the file, the database and the app scope.
 */
export async function readProjectConfig(
  cwd: string,
  app: string | undefined,
): Promise<{ value: { config: ResolvedConfig; appDir: string | undefined }; detail: string }> {
  const config = await loadProjectConfig(cwd);
  const file = config.configFile ? show(config, config.configFile) : "no config file (defaults)";
  const database = config.database.url
    ? "PostgreSQL (database.url / DATABASE_URL)"
    : `embedded PGlite in ${show(config, config.database.dataDir)}`;
  const appDir = app === undefined ? undefined : resolveApp(config, app);
  const scope = appDir === undefined ? "" : ` · app ${show(config, appDir)} only`;
  return { value: { config, appDir }, detail: `${file} · ${database}${scope}` };
}

/** The absolute folder of `--app NAME`: an entry of `apps` given by its path or last segment. */
export function resolveApp(config: ResolvedConfig, name: string): string {
  const wanted = path.resolve(config.root, name);
  const folders = config.apps.map((app) => path.resolve(config.root, app));
  const match = folders.find((folder) => folder === wanted || path.basename(folder) === name);
  if (!match) {
    throw new CliError(
      `--app ${name}: not an app folder of this project (apps: ${folders.map((f) => show(config, f)).join(", ") || "none"})`,
      { hint: "name a folder listed in `apps` of grpc-cfg.config.ts, e.g. its last segment" },
    );
  }
  return match;
}

/** The secret to send, or why the secret-key step does not apply. */
export function secretKeyOf(config: ResolvedConfig): string | { skipped: string } {
  const { secretKey } = config.auth;
  if (!secretKey.enabled) return { skipped: "auth.secretKey.enabled is off in the config" };
  if (config.environment === "production") {
    return { skipped: "NODE_ENV=production: the dev secret key is refused there" };
  }
  const value = secretKey.value ?? process.env[SECRET_KEY_ENV];
  if (!value) return { skipped: `auth.secretKey is enabled but ${SECRET_KEY_ENV} is not set` };
  return value;
}

/** `file` relative to the project root, for the report. */
export function show(config: ResolvedConfig, file: string): string {
  return path.relative(config.root, path.resolve(config.root, file)) || ".";
}
