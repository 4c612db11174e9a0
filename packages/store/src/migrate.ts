import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@grpc-cfg/runtime";
import { sql } from "drizzle-orm";
import { readMigrationFiles, type MigrationConfig } from "drizzle-orm/migrator";
import { sqlState, StoreError } from "./errors.js";
import {
  defaultTableFor,
  legacyTableFor,
  projectRootOf,
  type PlannedMigrationFolder,
} from "./migration-tables.js";
import { rowsOf } from "./sql-rows.js";

/** Schema holding every migrations-tracking table (ours and the apps'). */
export const MIGRATIONS_SCHEMA = "drizzle";
/** Table tracking the store's own migrations. */
export const STORE_MIGRATIONS_TABLE = "__grpc_cfg_migrations";

/**
 * An app's migration folder (drizzle-kit output). `table` names the table that tracks which
 * of its migrations ran; by default it is named after the folder's path in its project
 * (`drizzle` → `__app_migrations_drizzle`), so the same project in another folder — a Docker
 * `WORKDIR /app`, a CI checkout — keeps its history. A table of the naming earlier versions
 * used (after the project folder's name, `__app_migrations_<project>_<folder>`) is adopted.
 */
export interface AppMigrationFolder {
  readonly folder: string;
  /** The tracking table (`[a-z_][a-z0-9_]*`, at most 63 characters), in schema `drizzle`. */
  readonly table?: string;
  /**
   * The project root the default table is named relative to. Default: the nearest folder
   * above `folder` holding a grpc-cfg config file, else a package.json, else its parent.
   */
  readonly root?: string;
}

/** One applied migration folder, as reported by `migrate()`. */
export interface MigrationFolderReport {
  readonly folder: string;
  readonly table: string;
  /** Migrations that ran now. */
  readonly applied: number;
  /** Migrations in the folder. */
  readonly total: number;
  /**
   * The old-style table whose history this folder took over: renamed to `table` by this
   * `migrate()`, or (from `migrationStatus()`) still to be renamed by the next one.
   */
  readonly adoptedFrom?: string;
}

/** Absolute path of the store's own SQL migrations (shipped in the package). */
export function storeMigrationsFolder(): string {
  return fileURLToPath(new URL("../drizzle", import.meta.url));
}

/** Resolves the store's folder and the app's folders into migrator configs, in run order. */
export function migrationPlan(
  appFolders: readonly (string | AppMigrationFolder)[] = [],
): PlannedMigrationFolder[] {
  const plan: PlannedMigrationFolder[] = [
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
    const root = spec.root === undefined ? projectRootOf(folder) : resolve(spec.root);
    const table = spec.table ?? defaultTableFor(folder, root);
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) {
      throw new StoreError(
        "invalid-argument",
        `migrations table name "${table}" must match [a-z_][a-z0-9_]* (at most 63 characters)`,
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
  return withLegacyTables(plan, tables);
}

/**
 * Adds each app folder's old-style table name, to be adopted if only it exists — unless the
 * name is ambiguous: another folder's table now, or the old name of two folders at once.
 */
function withLegacyTables(
  plan: PlannedMigrationFolder[],
  tables: ReadonlySet<string>,
): PlannedMigrationFolder[] {
  const legacy = plan.map((config, i) =>
    i === 0 ? null : legacyTableFor(config.migrationsFolder),
  );
  return plan.map((config, i) => {
    const name = legacy[i];
    const unambiguous =
      name && !tables.has(name) && legacy.indexOf(name) === legacy.lastIndexOf(name);
    return unambiguous ? { ...config, legacyTable: name } : config;
  });
}

/**
 * How many of a folder's migrations have run (drizzle's rule: by creation time), and the
 * old-style table they were read from when the folder's own table does not exist yet.
 */
export async function appliedCount(
  db: Database,
  config: PlannedMigrationFolder,
): Promise<{ applied: number; total: number; adoptedFrom?: string }> {
  const files = readMigrationFiles(config);
  const count = (last: number) => files.filter((file) => file.folderMillis <= last).length;
  const own = await lastMigration(db, config, config.migrationsTable ?? "");
  if (own !== null || !config.legacyTable) {
    return { applied: count(own ?? -1), total: files.length };
  }
  const legacy = await lastMigration(db, config, config.legacyTable);
  if (legacy === null) return { applied: 0, total: files.length };
  return { applied: count(legacy), total: files.length, adoptedFrom: config.legacyTable };
}

/** Creation time of the newest migration recorded in `table`; null when there is no table. */
async function lastMigration(
  db: Database,
  config: MigrationConfig,
  table: string,
): Promise<number | null> {
  try {
    const rows = rowsOf<{ last: unknown }>(
      await db.execute(
        sql`select max(created_at) as last from ${sql.identifier(config.migrationsSchema ?? MIGRATIONS_SCHEMA)}.${sql.identifier(table)}`,
      ),
    );
    const value = rows[0]?.last;
    return value !== null && value !== undefined ? Number(value) : -1;
  } catch (error) {
    if (sqlState(error) !== "42P01" && sqlState(error) !== "3F000") throw error;
    return null;
  }
}
