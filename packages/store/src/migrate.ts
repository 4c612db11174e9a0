import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@grpc-cfg/runtime";
import { sql } from "drizzle-orm";
import { readMigrationFiles, type MigrationConfig } from "drizzle-orm/migrator";
import { sqlState, StoreError } from "./errors.js";
import { rowsOf } from "./sql-rows.js";

/** Schema holding every migrations-tracking table (ours and the apps'). */
export const MIGRATIONS_SCHEMA = "drizzle";
/** Table tracking the store's own migrations. */
export const STORE_MIGRATIONS_TABLE = "__grpc_cfg_migrations";

/**
 * An app's migration folder (drizzle-kit output). `table` names the table that tracks which
 * of its migrations ran; by default `__app_migrations_<parent>_<folder>` from the folder's
 * last two path segments (e.g. `shop/drizzle` → `__app_migrations_shop_drizzle`), so moving
 * the project elsewhere keeps the history. Give `table` explicitly if you rename the folder.
 */
export interface AppMigrationFolder {
  readonly folder: string;
  readonly table?: string;
}

/** One applied migration folder, as reported by `migrate()`. */
export interface MigrationFolderReport {
  readonly folder: string;
  readonly table: string;
  /** Migrations that ran now. */
  readonly applied: number;
  /** Migrations in the folder. */
  readonly total: number;
}

/** Absolute path of the store's own SQL migrations (shipped in the package). */
export function storeMigrationsFolder(): string {
  return fileURLToPath(new URL("../drizzle", import.meta.url));
}

/** Resolves the store's folder and the app's folders into migrator configs, in run order. */
export function migrationPlan(
  appFolders: readonly (string | AppMigrationFolder)[] = [],
): MigrationConfig[] {
  const plan: MigrationConfig[] = [
    {
      migrationsFolder: storeMigrationsFolder(),
      migrationsTable: STORE_MIGRATIONS_TABLE,
      migrationsSchema: MIGRATIONS_SCHEMA,
    },
  ];
  const tables = new Set<string>([STORE_MIGRATIONS_TABLE]);
  for (const entry of appFolders) {
    const spec = typeof entry === "string" ? { folder: entry } : entry;
    const folder = resolve(spec.folder);
    if (!existsSync(resolve(folder, "meta", "_journal.json"))) {
      throw new StoreError(
        "invalid-argument",
        `migrations folder ${folder} has no meta/_journal.json; point it at drizzle-kit's "out" folder`,
      );
    }
    const table = spec.table ?? defaultTableFor(folder);
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) {
      throw new StoreError(
        "invalid-argument",
        `migrations table name "${table}" must match [a-z_][a-z0-9_]*`,
      );
    }
    if (tables.has(table)) {
      throw new StoreError(
        "invalid-argument",
        `two migration folders would share the tracking table "${table}"; give one of them an explicit table`,
      );
    }
    tables.add(table);
    plan.push({
      migrationsFolder: folder,
      migrationsTable: table,
      migrationsSchema: MIGRATIONS_SCHEMA,
    });
  }
  return plan;
}

function defaultTableFor(folder: string): string {
  const slug = `${basename(dirname(folder))}_${basename(folder)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `__app_migrations_${slug}`.slice(0, 63);
}

/** How many of a folder's migrations have run (drizzle's rule: by creation time). */
export async function appliedCount(
  db: Database,
  config: MigrationConfig,
): Promise<{ applied: number; total: number }> {
  const files = readMigrationFiles(config);
  let last = -1;
  try {
    const rows = rowsOf<{ last: unknown }>(
      await db.execute(
        sql`select max(created_at) as last from ${sql.identifier(config.migrationsSchema ?? MIGRATIONS_SCHEMA)}.${sql.identifier(config.migrationsTable ?? "")}`,
      ),
    );
    const value = rows[0]?.last;
    if (value !== null && value !== undefined) last = Number(value);
  } catch (error) {
    if (sqlState(error) !== "42P01" && sqlState(error) !== "3F000") throw error;
  }
  return { applied: files.filter((file) => file.folderMillis <= last).length, total: files.length };
}
