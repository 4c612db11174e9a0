import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, DatabaseProvider } from "../../index.js";
import { CREATE_TABLES } from "./test-schema.js";

/** A PGlite-backed provider for tests, plus the raw client for setup/teardown. */
export interface TestDatabase extends DatabaseProvider {
  readonly client: PGlite;
  close(): Promise<void>;
}

/**
 * Test DatabaseProvider over in-memory PGlite. `readOnly` runs every statement inside a
 * `READ ONLY` transaction, so PostgreSQL itself refuses writes with SQLSTATE 25006 — the
 * same enforcement the store implements.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const client = new PGlite();
  await client.exec(CREATE_TABLES);
  const readOnlyClient = {
    query: (query: string, params?: unknown[], options?: object) =>
      client.transaction(async (tx) => {
        await tx.query("SET TRANSACTION READ ONLY");
        return tx.query(query, params, options);
      }),
    transaction: <T>(fn: (tx: unknown) => Promise<T>) =>
      client.transaction(async (tx) => {
        await tx.query("SET TRANSACTION READ ONLY");
        return fn(tx);
      }),
  } as unknown as PGlite;
  return {
    client,
    db: drizzle(client) as unknown as Database,
    readOnly: drizzle(readOnlyClient) as unknown as Database,
    close: () => client.close(),
  };
}
