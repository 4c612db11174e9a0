// Migration 0001 (request_logs_status_idx made partial) on a database at migration 0000: it
// converts the old index, and it leaves alone a partial index an operator built beforehand
// (on PostgreSQL with CREATE INDEX CONCURRENTLY, which never blocks log writes).
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../tests/support/postgres.js";
import { testTempDir } from "../../../tests/support/temp-dir.js";
import { MIGRATIONS_SCHEMA, STORE_MIGRATIONS_TABLE, storeMigrationsFolder } from "./migrate.js";

const PARTIAL_INDEX = `CREATE INDEX request_logs_status_idx ON request_logs (status, created_at) WHERE status <> 'success'`;

/** A copy of the store's migrations folder whose journal stops after migration 0000. */
function foldersUpTo0000(): string {
  const folder = join(testTempDir("gcfg-mig0-"), "drizzle");
  cpSync(storeMigrationsFolder(), folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
  return folder;
}

/** What a test needs of one database: run SQL, migrate to a folder, close. */
interface Database {
  query(text: string): Promise<Record<string, unknown>[]>;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

const config = (folder: string) => ({
  migrationsFolder: folder,
  migrationsTable: STORE_MIGRATIONS_TABLE,
  migrationsSchema: MIGRATIONS_SCHEMA,
});

async function pgliteDatabase(): Promise<Database> {
  const client = new PGlite();
  const db = drizzlePglite({ client });
  return {
    query: async (text) => (await client.query<Record<string, unknown>>(text)).rows,
    migrate: (folder) => migratePglite(db, config(folder)),
    close: () => client.close(),
  };
}

const testDatabase = await createTestDatabase("gcfg_mig0001");
afterAll(async () => {
  await testDatabase?.drop();
});

async function postgresDatabase(): Promise<Database> {
  const client = postgres(testDatabase!.url, { max: 1, onnotice: () => {} });
  const db = drizzlePostgres({ client });
  // Each test starts from an empty database.
  await client.unsafe(`DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
    DROP SCHEMA IF EXISTS ${MIGRATIONS_SCHEMA} CASCADE`);
  return {
    query: async (text) => [...(await client.unsafe<Record<string, unknown>[]>(text))],
    migrate: (folder) => migratePostgres(db, config(folder)),
    close: () => client.end({ timeout: 1 }),
  };
}

const backends = [
  { name: "pglite", open: pgliteDatabase, skip: false },
  { name: "postgres", open: postgresDatabase, skip: testDatabase === null },
];

async function statusIndex(db: Database): Promise<{ oid: number; def: string }> {
  const [row] = await db.query(
    `SELECT c.oid::int AS oid, pg_get_indexdef(c.oid) AS def FROM pg_class c
     WHERE c.relname = 'request_logs_status_idx' AND c.relnamespace = current_schema()::regnamespace`,
  );
  return { oid: Number(row?.oid), def: String(row?.def) };
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`migration 0001 on ${backend.name}`, () => {
    it("turns the full status index of 0000 into the partial one", async () => {
      const db = await backend.open();
      try {
        await db.migrate(foldersUpTo0000());
        expect((await statusIndex(db)).def).not.toContain("WHERE");
        await db.migrate(storeMigrationsFolder());
        expect((await statusIndex(db)).def).toContain("WHERE (status <> 'success'::text)");
      } finally {
        await db.close();
      }
    });

    it("keeps a partial index built before the upgrade instead of building it again", async () => {
      const db = await backend.open();
      try {
        await db.migrate(foldersUpTo0000());
        await db.query(`DROP INDEX request_logs_status_idx`);
        // What docs/configuration.md tells operators of large tables to run first.
        await db.query(
          backend.name === "postgres"
            ? PARTIAL_INDEX.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY")
            : PARTIAL_INDEX,
        );
        const before = await statusIndex(db);
        await db.migrate(storeMigrationsFolder());
        const after = await statusIndex(db);
        expect(after.oid).toBe(before.oid);
        expect(after.def).toContain("WHERE (status <> 'success'::text)");
        const [applied] = await db.query(
          `SELECT count(*)::int AS n FROM ${MIGRATIONS_SCHEMA}.${STORE_MIGRATIONS_TABLE}`,
        );
        expect(Number(applied?.n)).toBe(3);
      } finally {
        await db.close();
      }
    });
  });
}
