// The concurrent-migration test needs the built package (children import dist/).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../tests/support/postgres.js";
import { testTempDir } from "../../../tests/support/temp-dir.js";
import {
  migrationPlan,
  openStore,
  silentLogger,
  storeMigrationsFolder,
  StoreError,
} from "./index.js";
import { rowsOf } from "./sql-rows.js";
import { writeAppMigrations } from "./testdata/app-migrations.js";
import { testBackends } from "./testdata/backends.js";
import { startChild } from "./testdata/child-process.js";

const backends = await testBackends();
// How many migrations the store ships: its drizzle-kit journal's entries.
const STORE_MIGRATIONS = (
  JSON.parse(readFileSync(join(storeMigrationsFolder(), "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  }
).entries.length;

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`migrations on ${backend.name}`, () => {
    it("applies the store's migrations, then the app's, each tracked in its own table", async () => {
      const root = testTempDir("gcfg-mig-");
      const folder = writeAppMigrations(root, "shop", [
        [
          "create table orders (id serial primary key, user_id integer not null references users(id))",
        ],
      ]);
      const store = await backend.open({ migrationsFolders: [{ folder, root }] });
      const status = await store.migrationStatus();
      expect(status.map((entry) => [entry.table, entry.applied, entry.total])).toEqual([
        ["__grpc_cfg_migrations", STORE_MIGRATIONS, STORE_MIGRATIONS],
        ["__app_migrations_shop_drizzle", 1, 1],
      ]);
      await store.db.execute(sql`insert into orders (user_id) select id from users limit 0`);

      // A new migration in the app folder runs on the next migrate(); nothing else does.
      writeAppMigrations(root, "shop", [
        [
          "create table orders (id serial primary key, user_id integer not null references users(id))",
        ],
        [
          "alter table orders add column note text",
          "create index orders_user_idx on orders (user_id)",
        ],
      ]);
      const report = await store.migrate();
      expect(report.map((entry) => entry.applied)).toEqual([0, 1]);
      const columns = rowsOf<{ column_name: string }>(
        await store.db.execute(
          sql`select column_name from information_schema.columns where table_name = 'orders' order by column_name`,
        ),
      );
      expect(columns.map((row) => row.column_name)).toEqual(["id", "note", "user_id"]);
      expect((await store.migrate()).map((entry) => entry.applied)).toEqual([0, 0]);
    });

    it("names the folder and the database's reason when a migration fails", async () => {
      const root = testTempDir("gcfg-mig-bad-");
      const good = writeAppMigrations(root, "carts", [
        ["create table carts (id serial primary key)"],
      ]);
      const store = await backend.open({ migrationsFolders: [good] });
      writeAppMigrations(root, "carts", [
        ["create table carts (id serial primary key)"],
        ["alter table carts add column owner integer references no_such_table(id)"],
      ]);
      const failure = await store.migrate().then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StoreError);
      expect(failure).toMatchObject({ code: "migration-failed" });
      const message = (failure as StoreError).message;
      expect(message).toContain(good);
      expect(message).toMatch(/relation "no_such_table" does not exist \(SQLSTATE 42P01\)/);
      // The failed migration left nothing half-applied: it runs again once fixed.
      writeAppMigrations(root, "carts", [
        ["create table carts (id serial primary key)"],
        ["alter table carts add column owner integer"],
      ]);
      expect((await store.migrate()).map((entry) => entry.applied)).toEqual([0, 1]);
    });

    it("refuses to run on an unmigrated database when migrate is false", async () => {
      const fresh =
        backend.name === "postgres" ? await createTestDatabase("gcfg_unmigrated") : null;
      try {
        const opening = backend.open({ migrate: false, ...(fresh ? { url: fresh.url } : {}) });
        await expect(opening).rejects.toMatchObject({ code: "schema-outdated" });
        await expect(opening).rejects.toThrow(/grpc-cfg migrate/);
      } finally {
        await fresh?.drop();
      }
    });
  });
}

describe("migration plan", () => {
  it("rejects folders without a drizzle-kit journal and clashing tracking tables", () => {
    const root = testTempDir("gcfg-plan-");
    expect(() => migrationPlan([root])).toThrow(/meta\/_journal.json/);
    const a = writeAppMigrations(join(root, "one"), "app", [["select 1"]]);
    const b = writeAppMigrations(join(root, "two"), "app", [["select 1"]]);
    expect(() =>
      migrationPlan([
        { folder: a, root },
        { folder: b, table: "__app_migrations_one_app_drizzle" },
      ]),
    ).toThrow(StoreError);
    expect(() => migrationPlan([a, { folder: b, table: "Bad-Name" }])).toThrow(/must match/);
    expect(
      migrationPlan([
        { folder: a, root },
        { folder: b, table: "__app_two" },
      ]).map((config) => config.migrationsTable),
    ).toEqual(["__grpc_cfg_migrations", "__app_migrations_one_app_drizzle", "__app_two"]);
  });
});

describe.skipIf(backends[1]?.skip !== null)("concurrent migration (PostgreSQL)", () => {
  it("two processes migrating one fresh database at once both succeed, applying it once", async () => {
    const fresh = await createTestDatabase("gcfg_race");
    try {
      const children = [0, 1].map(() =>
        startChild("migrate-child.mjs", { TEST_DATABASE_URL: fresh!.url }),
      );
      const outputs = await Promise.all(children.map((child) => child.nextLine()));
      expect(await Promise.all(children.map((child) => child.exited))).toEqual([0, 0]);
      for (const output of outputs)
        expect(JSON.parse(output)).toMatchObject([
          { applied: STORE_MIGRATIONS, total: STORE_MIGRATIONS },
        ]);
      const store = await openStore({ url: fresh!.url, migrate: false, logger: silentLogger });
      const rows = rowsOf<{ n: number }>(
        await store.db.execute(sql`select count(*)::int as n from drizzle.__grpc_cfg_migrations`),
      );
      expect(rows[0]?.n).toBe(STORE_MIGRATIONS);
      await store.close();
    } finally {
      await fresh?.drop();
    }
  });
});
