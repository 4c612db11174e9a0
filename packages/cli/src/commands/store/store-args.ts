// Only types at the top: every command module loads on each CLI start, so the runtime and
// the store (≈0.9 s of imports) are loaded inside the handlers that need them.
import type { ResolvedConfig } from "@grpc-cfg/runtime";
import type { Store } from "@grpc-cfg/store";
import type { Argv } from "yargs";
import { loadProjectConfig } from "../../project/load-project-config.js";
import { CliError } from "../../util/cli-error.js";
import { storeErrorToCliError } from "../../util/store-errors.js";

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

/** Loads the project config (env applied), turning config problems into CLI errors. */
export async function readProjectConfig(argv: StoreArgs): Promise<ResolvedConfig> {
  return loadProjectConfig(process.cwd(), {}, argv.config ? { configFile: argv.config } : {});
}

/**
 * Opens the configured store, runs `work`, closes the store. Store errors become CLI errors:
 * bad input exits 2, everything else 1.
 */
export async function withStore<T>(
  argv: StoreArgs,
  work: (store: Store, config: ResolvedConfig) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = await readProjectConfig(argv);
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

/** Parses a duration flag strictly (`30d`, `1h30m`); exit 2 naming the flag when bad. */
export async function durationFlag(
  value: string | undefined,
  flag: string,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const { parseDuration } = await import("@grpc-cfg/store");
  try {
    return parseDuration(String(value), flag);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), {
      hint: `e.g. ${flag} 30d, ${flag} 12h or ${flag} 90m`,
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

/** Checks a numeric flag is an integer within bounds; exit 2 otherwise. */
export function integerFlag(
  value: number | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(
      `${flag} must be a whole number from ${min} to ${max}, got ${String(value)}`,
      { exitCode: 2 },
    );
  }
  return value;
}
