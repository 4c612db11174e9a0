import type { PGlite, Transaction } from "@electric-sql/pglite";

type QueryArgs = Parameters<PGlite["query"]>;

/**
 * The subset of PGlite that drizzle-orm's PGlite driver calls (`query`, `transaction`),
 * with every statement inside `BEGIN; SET TRANSACTION READ ONLY; …; COMMIT`. PGlite has a
 * single connection, so a second pool (as on PostgreSQL) is not possible; instead the
 * database itself enforces read-only per transaction and a write fails with SQLSTATE 25006.
 */
export class ReadOnlyPglite {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /** Runs one statement in its own read-only transaction. */
  query<T>(...args: QueryArgs): ReturnType<PGlite["query"]> {
    return this.#pglite.transaction(async (tx) => {
      await tx.exec("SET TRANSACTION READ ONLY");
      return tx.query<T>(...args);
    });
  }

  /** Runs a callback in one read-only transaction. */
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#pglite.transaction(async (tx) => {
      await tx.exec("SET TRANSACTION READ ONLY");
      return callback(tx);
    });
  }
}
