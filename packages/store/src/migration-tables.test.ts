import { cpSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testTempDir, writeTree } from "../../../tests/support/temp-dir.js";
import { migrationPlan, silentLogger, type Store, type StoreOptions } from "./index.js";
import { defaultTableFor, legacyTableFor, projectRootOf } from "./migration-tables.js";
import { rowsOf } from "./sql-rows.js";
import { writeMigrationFolder } from "./testdata/app-migrations.js";
import { testBackends, uniqueName } from "./testdata/backends.js";

const backends = await testBackends();

/** A migration creating table `name` with one seed row: running it twice fails. */
function seeding(name: string): string[][] {
  return [[`create table ${name} (id integer primary key)`, `insert into ${name} values (1)`]];
}

async function trackingTables(store: Store): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await store.db.execute(
      sql`select table_name as name from information_schema.tables where table_schema = 'drizzle' order by 1`,
    ),
  );
  return rows.map((row) => row.name);
}

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`migration history tables on ${backend.name}`, () => {
    /**
     * Opens one database again and again: PGlite in a data folder (closed between opens, as
     * it is locked), PostgreSQL this file's database.
     */
    function database() {
      const dataDir = backend.name === "pglite" ? join(testTempDir("gcfg-hist-"), "data") : null;
      return async (extra: Partial<StoreOptions>, work: (store: Store) => Promise<void>) => {
        const store = await backend.open({ ...(dataDir ? { dataDir } : {}), ...extra });
        try {
          await work(store);
        } finally {
          await store.close();
        }
      };
    }

    it("keys the history by the folder's path in the project: a copy elsewhere has nothing pending", async () => {
      const withStore = database();
      const tmp = testTempDir("gcfg-moved-");
      // A project as `grpc-cfg init` makes it: the config file beside drizzle/.
      const first = writeTree(join(tmp, "a", "app"), {
        "grpc-cfg.config.ts": "export default {};",
      });
      writeMigrationFolder(join(first, "drizzle"), seeding(uniqueName("notes")));
      const folders = (root: string) => ({ migrationsFolders: [join(root, "drizzle")] });
      await withStore(folders(first), async (store) => {
        expect((await store.migrationStatus())[1]).toMatchObject({
          table: "__app_migrations_drizzle",
          applied: 1,
          total: 1,
        });
      });
      // The same project deployed in a folder of another name (Docker WORKDIR /srv).
      const second = join(tmp, "b", "srv");
      cpSync(first, second, { recursive: true });
      await withStore({ ...folders(second), migrate: false, checkSchema: false }, async (store) => {
        expect((await store.migrationStatus())[1]).toMatchObject({ applied: 1, total: 1 });
        expect((await store.migrate())[1]).toMatchObject({ applied: 0, total: 1 });
      });
    });

    it("adopts the history an earlier version kept under the project folder's name, once", async () => {
      const withStore = database();
      const project = join(testTempDir("gcfg-legacy-"), uniqueName("shop"));
      const sub = uniqueName("migrations");
      const folder = writeMigrationFolder(join(project, sub), seeding(uniqueName("orders")));
      const legacy = legacyTableFor(folder);
      const current = defaultTableFor(folder, project);
      expect(legacy).not.toBe(current);
      // What an earlier version did: the table named after the project folder.
      await withStore({ migrationsFolders: [{ folder, table: legacy }] }, async () => {});

      const warnings: string[] = [];
      const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
      const options = { logger, migrationsFolders: [{ folder, root: project }] };
      await withStore({ ...options, migrate: false, checkSchema: false }, async (store) => {
        // Status reads the old table without changing anything.
        expect((await store.migrationStatus())[1]).toMatchObject({
          table: current,
          applied: 1,
          adoptedFrom: legacy,
        });
        expect(await trackingTables(store)).toContain(legacy);
        const [, report] = await store.migrate();
        expect(report).toMatchObject({ table: current, applied: 0, total: 1, adoptedFrom: legacy });
        const tables = await trackingTables(store);
        expect(tables).toContain(current);
        expect(tables).not.toContain(legacy);
      });
      expect(warnings).toEqual([
        expect.stringContaining(`renamed its tracking table ${legacy} to ${current}`),
      ]);
      // The next start finds the new table: nothing to adopt, nothing to say, nothing to run.
      await withStore(options, async (store) => {
        expect((await store.migrationStatus())[1]).toEqual({
          folder,
          table: current,
          applied: 1,
          total: 1,
        });
      });
      expect(warnings).toHaveLength(1);
    });

    it("records the history in an explicit table", async () => {
      const withStore = database();
      const folder = writeMigrationFolder(
        join(testTempDir("gcfg-explicit-"), "db", "migrations"),
        seeding(uniqueName("carts")),
      );
      const table = uniqueName("orders_migrations");
      await withStore({ migrationsFolders: [{ folder, table }] }, async (store) => {
        expect((await store.migrationStatus())[1]).toMatchObject({ table, applied: 1, total: 1 });
        expect(await trackingTables(store)).toContain(table);
      });
    });
  });
}

describe("default tracking table names", () => {
  it("come from the path in the project, sanitized, within 63 bytes and distinct", () => {
    expect(defaultTableFor("/srv/app/drizzle", "/srv/app")).toBe("__app_migrations_drizzle");
    expect(defaultTableFor("/home/me/Orders/db/Migrations-V2", "/home/me/Orders")).toBe(
      "__app_migrations_db_migrations_v2",
    );
    const deep = "/p/" + "very-long-folder-name/".repeat(4) + "drizzle";
    const other = "/p/" + "very-long-folder-name/".repeat(4) + "drizzle2";
    const [a, b] = [defaultTableFor(deep, "/p"), defaultTableFor(other, "/p")];
    expect(a).toMatch(/^__app_migrations_very_long_folder_name_[a-z0-9_]*_[0-9a-f]{8}$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });

  it("are relative to the folder's project: its grpc-cfg config, else package.json, else parent", () => {
    const tmp = testTempDir("gcfg-root-");
    writeTree(tmp, {
      "repo/package.json": "{}",
      "repo/services/orders/package.json": "{}",
      "repo/services/orders/grpc-cfg.config.mjs": "export default {};",
      "repo/libs/db/package.json": "{}",
    });
    expect(projectRootOf(join(tmp, "repo/services/orders/db/drizzle"))).toBe(
      join(tmp, "repo/services/orders"),
    );
    // No config file above: the nearest package.json.
    expect(projectRootOf(join(tmp, "repo/libs/db/sql/drizzle"))).toBe(join(tmp, "repo/libs/db"));
    // Nothing at all: the folder's parent, so a bare drizzle/ is still __app_migrations_drizzle.
    expect(projectRootOf(join(tmp, "bare/drizzle"))).toBe(join(tmp, "bare"));
  });

  it("let two folders of one name coexist and adopt no old table that is ambiguous", () => {
    const root = testTempDir("gcfg-plan-names-");
    const one = writeMigrationFolder(join(root, "one", "app", "drizzle"), [["select 1"]]);
    const two = writeMigrationFolder(join(root, "two", "app", "drizzle"), [["select 1"]]);
    const plan = migrationPlan([
      { folder: one, root },
      { folder: two, root },
    ]);
    expect(plan.map((config) => config.migrationsTable)).toEqual([
      "__grpc_cfg_migrations",
      "__app_migrations_one_app_drizzle",
      "__app_migrations_two_app_drizzle",
    ]);
    // Both used to be __app_migrations_app_drizzle: whose history that is cannot be told.
    expect(plan.map((config) => config.legacyTable)).toEqual([undefined, undefined, undefined]);
    // An old name that is another folder's table now is never taken either: in project
    // "shop", drizzle/ used to be __app_migrations_shop_drizzle, which is shop/drizzle/'s now.
    const project = join(root, "shop");
    const top = writeMigrationFolder(join(project, "drizzle"), [["select 1"]]);
    const nested = writeMigrationFolder(join(project, "shop", "drizzle"), [["select 1"]]);
    const mixed = migrationPlan([
      { folder: top, root: project },
      { folder: nested, root: project },
    ]);
    expect(mixed.map((config) => [config.migrationsTable, config.legacyTable])).toEqual([
      ["__grpc_cfg_migrations", undefined],
      ["__app_migrations_drizzle", undefined],
      ["__app_migrations_shop_drizzle", undefined],
    ]);
    // Without the clash, the old name is kept for adoption.
    expect(migrationPlan([{ folder: top, root: project }])[1]?.legacyTable).toBe(
      "__app_migrations_shop_drizzle",
    );
  });
});
