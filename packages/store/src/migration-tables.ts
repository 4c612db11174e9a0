import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { findConfigFile, type Database } from "@grpc-cfg/runtime";
import { sql } from "drizzle-orm";
import type { MigrationConfig } from "drizzle-orm/migrator";
import type { StoreLogger } from "./logger.js";
import { rowsOf } from "./sql-rows.js";

/** Prefix of the default tables tracking app migration folders. */
const APP_TABLE_PREFIX = "__app_migrations";
/** PostgreSQL truncates identifiers past 63 bytes; names stay within it (all ASCII). */
const MAX_IDENTIFIER_LENGTH = 63;
/** Transaction-level advisory lock taken while adopting old history (any 64-bit constant). */
const ADOPTION_LOCK_KEY = 4_707_131_000_002n;

/** A migrator config of an app folder, with the table its history had under the old naming. */
export interface PlannedMigrationFolder extends MigrationConfig {
  /**
   * The table the folder's history was kept in before tracking tables were named after the
   * folder's path in the project; adopted (renamed) when the folder's own table is missing.
   */
  readonly legacyTable?: string;
}

/**
 * The default tracking table of `folder`: named after its path relative to the project
 * `root` (`drizzle` → `__app_migrations_drizzle`, `db/migrations` →
 * `__app_migrations_db_migrations`), so the same project deployed in another folder — a
 * Docker `WORKDIR /app`, a CI checkout — finds the history it left. A name past PostgreSQL's
 * 63 bytes is cut and ends in a hash of the whole path, so long paths stay distinct.
 */
export function defaultTableFor(folder: string, root: string): string {
  const path = relative(root, folder).split(sep).join("/");
  const slug = slugOf(path);
  const name = slug === "" ? APP_TABLE_PREFIX : `${APP_TABLE_PREFIX}_${slug}`;
  if (name.length <= MAX_IDENTIFIER_LENGTH) return name;
  const hash = createHash("sha256").update(path).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER_LENGTH - hash.length - 1).replace(/_+$/, "")}_${hash}`;
}

/**
 * The project `folder` belongs to: the nearest folder above it holding a grpc-cfg config
 * file, else the nearest holding a package.json, else the folder's parent. Found from the
 * folder itself, never from the working folder, so the CLI, a test harness and a script
 * opening the store from anywhere agree on the table name.
 */
export function projectRootOf(folder: string): string {
  let nearestPackage: string | null = null;
  for (let dir = dirname(folder); ; dir = dirname(dir)) {
    if (findConfigFile(dir)) return dir;
    nearestPackage ??= existsSync(join(dir, "package.json")) ? dir : null;
    if (dirname(dir) === dir) return nearestPackage ?? dirname(folder);
  }
}

/**
 * The table earlier versions named after the folder's last two path segments — the project
 * folder's own name among them, which is what made a moved project lose its history.
 */
export function legacyTableFor(folder: string): string {
  const slug = slugOf(`${basename(dirname(folder))}_${basename(folder)}`);
  return `${APP_TABLE_PREFIX}_${slug}`.slice(0, MAX_IDENTIFIER_LENGTH);
}

function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** `"schema"."table"` for `to_regclass`; both are plain lower-case identifiers. */
function qualified(config: MigrationConfig, table: string): string {
  return `"${config.migrationsSchema ?? "drizzle"}"."${table}"`;
}

/** True when `schema.table` exists. */
export async function tableExists(
  db: Pick<Database, "execute">,
  config: MigrationConfig,
  table: string,
): Promise<boolean> {
  const rows = rowsOf<{ present: boolean }>(
    await db.execute(sql`select to_regclass(${qualified(config, table)}) is not null as present`),
  );
  return rows[0]?.present === true;
}

/**
 * Renames each folder's old-style tracking table to its current name when only the old one
 * exists, so an upgraded project keeps its history instead of running every migration again.
 * Serialized across processes; reports each adoption once (the next run finds the new table).
 * Returns the adopted table per current table.
 */
export async function adoptLegacyHistory(
  db: Database,
  plan: readonly PlannedMigrationFolder[],
  logger: StoreLogger,
): Promise<Map<string, string>> {
  const adopted = new Map<string, string>();
  for (const config of plan) {
    const table = config.migrationsTable;
    const legacy = config.legacyTable;
    if (!table || !legacy) continue;
    // Cheap check first: once adopted (the usual case) no transaction is needed.
    if (await tableExists(db, config, table)) continue;
    const renamed = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ADOPTION_LOCK_KEY.toString()}::bigint)`);
      if ((await tableExists(tx, config, table)) || !(await tableExists(tx, config, legacy)))
        return false;
      const schema = sql.identifier(config.migrationsSchema ?? "drizzle");
      await tx.execute(
        sql`alter table ${schema}.${sql.identifier(legacy)} rename to ${sql.identifier(table)}`,
      );
      return true;
    });
    if (!renamed) continue;
    adopted.set(table, legacy);
    logger.warn(
      `adopted the migration history of ${config.migrationsFolder}: renamed its tracking table ` +
        `${legacy} to ${table} (tables are now named after the folder's path in the project)`,
    );
  }
  return adopted;
}
