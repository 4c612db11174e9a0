// Only types at the top: every command module loads on each CLI start, so the runtime and
// the store (≈0.9 s of imports) are loaded inside the handlers that need them.
import type { GrpcCfgConfig, ResolvedConfig } from "@grpc-cfg/runtime";
import type { Store } from "@grpc-cfg/store";
import type { Argv } from "yargs";
import { loadProjectConfig } from "../../project/load-project-config.js";
import { CliError } from "../../util/cli-error.js";
import { isConfigError } from "../../util/config-errors.js";
import { dataDirLockedHint, isStoreError, storeErrorToCliError } from "../../util/store-errors.js";

/** Options every data command takes. */
export interface StoreArgs {
  /** Config file (default: grpc-cfg.config.* in the working folder). */
  readonly config?: string;
  /** Print JSON for scripts instead of tables. */
  readonly json?: boolean;
}

/** Adds `--config` and `--json`. */
export function withStoreOptions<T>(yargs: Argv<T>): Argv<T & StoreArgs> {
  return yargs
    .option("config", {
      type: "string",
      describe: "Config file (default: grpc-cfg.config.ts here)",
    })
    .option("json", { type: "boolean", describe: "Print JSON instead of a table" })
    .epilog(
      "Database: DATABASE_URL (PostgreSQL) or the embedded PGlite folder in GRPC_CFG_DATA_DIR " +
        "(default .grpc-cfg/data), unless the config says otherwise.",
    ) as Argv<T & StoreArgs>;
}

/**
 * The problems the runtime finds with the dev secret key once the rest of the config is
 * valid: no value (GRPC_CFG_SECRET_KEY unset), a short one, or NODE_ENV=production.
 */
function onlySecretKeyProblems(error: unknown): boolean {
  // loadProjectConfig wraps the runtime's ConfigError in a CliError.
  const cause = error instanceof CliError ? error.cause : error;
  if (!isConfigError(cause)) return false;
  return (
    cause.issues.length > 0 &&
    cause.issues.every(
      (issue) =>
        issue.startsWith("auth.secretKey.value:") ||
        issue.startsWith("auth.secretKey.enabled: the dev secret key is refused"),
    )
  );
}

/**
 * Loads the project config (env applied), turning config problems into CLI errors. A command
 * that does not authenticate anyone (`users`, `keys`, `logs`, `stats`, `status`, `migrate`)
 * is not refused for the dev secret key alone: the key is the server's, and an operator
 * revoking a key should not first have to find GRPC_CFG_SECRET_KEY for a config that enables
 * it. Every other problem of the config is still reported.
 */
export async function readProjectConfig(
  argv: StoreArgs,
  options: { usesSecretKey?: boolean } = {},
): Promise<ResolvedConfig> {
  const load = (overrides: GrpcCfgConfig) =>
    loadProjectConfig(process.cwd(), overrides, argv.config ? { configFile: argv.config } : {});
  if (options.usesSecretKey) return load({});
  try {
    return await load({});
  } catch (error) {
    if (!onlySecretKeyProblems(error)) throw error;
    return load({ auth: { secretKey: { enabled: false } } });
  }
}

/**
 * Opens the configured store, runs `work`, closes the store. Store errors become CLI errors:
 * bad input exits 2, everything else 1. `usesSecretKey`: see {@link readProjectConfig}.
 */
export async function withStore<T>(
  argv: StoreArgs,
  work: (store: Store, config: ResolvedConfig) => Promise<T>,
  options: { migrate?: boolean; usesSecretKey?: boolean } = {},
): Promise<T> {
  const config = await readProjectConfig(argv, { usesSecretKey: options.usesSecretKey === true });
  const { openStore } = await import("@grpc-cfg/store");
  let store: Store;
  try {
    store = await openStore({
      ...(config.database.url
        ? { url: config.database.url }
        : { dataDir: config.database.dataDir }),
      migrate: options.migrate ?? config.database.migrate,
      checkSchema: options.migrate !== false,
      migrationsFolders: config.database.migrations,
    });
  } catch (error) {
    throw storeErrorToCliError(
      error,
      config.database.url
        ? "check DATABASE_URL / database.url and that PostgreSQL is reachable"
        : isStoreError(error) && error.code === "data-dir-locked"
          ? dataDirLockedHint(config.monitor)
          : undefined,
    );
  }
  try {
    return await work(store, config);
  } catch (error) {
    throw storeErrorToCliError(error);
  } finally {
    await store.close();
  }
}

const DAY_MS = 86_400_000;

/** How long a duration flag may be, and what its hint suggests. */
export interface DurationLimits {
  /** The longest value accepted, in milliseconds. */
  readonly maxMs: number;
  /** Why that is the longest, for people, e.g. "100 years". */
  readonly why: string;
  /** Values the hint suggests, e.g. ["30d", "12h", "90m"]. */
  readonly examples: readonly [string, string, string];
}

/**
 * `--since` and `--older-than`: a look-back of up to 100 years, past the age of any log. The
 * limit keeps `now - duration` inside what a Date and a PostgreSQL timestamp hold.
 */
export const LOOK_BACK: DurationLimits = {
  maxMs: 36_500 * DAY_MS,
  why: "100 years",
  examples: ["30d", "12h", "90m"],
};

/** `keys create --expires-in`: the monitor's REST API allows keys of up to 3650 days too. */
export const KEY_LIFETIME: DurationLimits = {
  maxMs: 3_650 * DAY_MS,
  why: "10 years, as in the monitor",
  examples: ["30d", "90d", "12h"],
};

/** `keys rotate --grace`: the monitor's REST API allows an old key up to 7 days too. */
export const GRACE_PERIOD: DurationLimits = {
  maxMs: 7 * DAY_MS,
  why: "7 days, as in the monitor",
  examples: ["1h", "1d", "7d"],
};

/**
 * Parses a duration flag strictly (`30d`, `1h30m`) within `limits`; exit 2 naming the flag
 * and the allowed range when bad.
 */
export async function durationFlag(
  value: string | undefined,
  flag: string,
  limits: DurationLimits,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const { parseDuration, formatDuration } = await import("@grpc-cfg/store");
  try {
    return parseDuration(String(value), flag, limits.maxMs);
  } catch (error) {
    const [a, b, c] = limits.examples;
    throw new CliError(error instanceof Error ? error.message : String(error), {
      hint:
        `use a duration up to ${formatDuration(limits.maxMs)} (${limits.why}), ` +
        `e.g. ${flag} ${a}, ${flag} ${b} or ${flag} ${c}`,
      exitCode: 2,
    });
  }
}

/** Parses a numeric id argument; exit 2 when it is not a positive integer. */
export function idArgument(value: unknown, what: string): number {
  const id = typeof value === "number" ? value : Number(String(value));
  if (!Number.isSafeInteger(id) || id <= 0 || !/^\d+$/.test(String(value))) {
    throw new CliError(`${what} must be a positive whole number, got "${String(value)}"`, {
      hint: "see the ids with `grpc-cfg keys list`",
      exitCode: 2,
    });
  }
  return id;
}

/** Checks a numeric flag is an integer within bounds; exit 2 with `hint` otherwise. */
export function integerFlag(
  value: number | undefined,
  flag: string,
  range: { min: number; max: number; hint: string },
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new CliError(
      `${flag} must be a whole number from ${range.min} to ${range.max}, got ${String(value)}`,
      { hint: range.hint, exitCode: 2 },
    );
  }
  return value;
}
