/**
 * The databases the shop's service tests run on: in-memory PGlite always, and a fresh
 * PostgreSQL database per test file when tests/support/postgres.ts finds (or starts) a
 * server — skipped with a printed reason otherwise, a failure under CI.
 */
import { afterAll } from "vitest";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { startShop } from "./shop-harness.js";
import type { ShopHarness } from "./shop-harness.js";

/** One backend as a test file sees it. */
export interface ShopBackend {
  readonly name: "pglite" | "postgres";
  /** Non-null when this backend's tests must be skipped, saying why. */
  readonly skip: string | null;
  /** Starts the shop on this backend (call once per file: the database is not reset). */
  start(): Promise<ShopHarness>;
}

/**
 * Both backends for the calling test file; the PostgreSQL database (named after `prefix`)
 * is dropped in `afterAll`. Call at the top level of the test file.
 */
export async function shopBackends(prefix: string): Promise<ShopBackend[]> {
  const database = await createTestDatabase(prefix);
  afterAll(async () => {
    await database?.drop();
  });
  return [
    { name: "pglite", skip: null, start: () => startShop() },
    {
      name: "postgres",
      skip: database ? null : "no PostgreSQL server (reason printed above)",
      start: () => startShop({ databaseUrl: database?.url ?? "postgres://unused" }),
    },
  ];
}
