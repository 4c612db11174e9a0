/**
 * Test helper: the backends every database test runs on. PGlite (in memory) always;
 * PostgreSQL when tests/support/postgres.ts finds or starts a server (skipped with a printed
 * reason otherwise, failing under CI). Each test file gets its own PostgreSQL database.
 */
import { afterAll } from "vitest";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { IN_MEMORY, openStore, silentLogger, type Store, type StoreOptions } from "../index.js";

/** One backend as a test sees it. */
export interface TestBackend {
  readonly name: "pglite" | "postgres";
  /** Non-null when this backend's tests must be skipped. */
  readonly skip: string | null;
  /** PostgreSQL URL of this file's database (postgres only). */
  readonly url: string | undefined;
  /** Opens a store on this backend (PGlite: a new in-memory database each call). */
  open(extra?: Partial<StoreOptions>): Promise<Store>;
}

/**
 * Returns both backends for the calling test file and registers cleanup (closing stores
 * opened through it, dropping the PostgreSQL database) in `afterAll`.
 */
export async function testBackends(): Promise<TestBackend[]> {
  const database = await createTestDatabase("gcfg_store");
  const opened: Store[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close().catch(() => {})));
    await database?.drop();
  });
  const open =
    (base: StoreOptions) =>
    async (extra: Partial<StoreOptions> = {}) => {
      const store = await openStore({ logger: silentLogger, ...base, ...extra });
      opened.push(store);
      return store;
    };
  return [
    { name: "pglite", skip: null, url: undefined, open: open({ dataDir: IN_MEMORY }) },
    {
      name: "postgres",
      skip: database ? null : "no PostgreSQL server (see the reason printed above)",
      url: database?.url,
      open: open({ url: database?.url ?? "postgres://unused" }),
    },
  ];
}

/** A unique name for rows created by one test (tests share a database per file). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
}
