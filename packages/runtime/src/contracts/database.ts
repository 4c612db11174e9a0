import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** A Drizzle database handle over PGlite or PostgreSQL (both are `PgDatabase`s). */
export type Database = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/**
 * The database as services see it. The store implements it for PGlite and PostgreSQL.
 * `readOnly` must be enforced by the database itself (every statement in a read-only
 * transaction), so a write from a ReadOnlyService fails with SQLSTATE 25006.
 */
export interface DatabaseProvider {
  /** Read-write handle. */
  readonly db: Database;
  /** Handle whose every statement runs read-only. */
  readonly readOnly: Database;
}
