import type { Database } from "../contracts/database.js";

/** Thrown on any use of `ctx.db` when the server runs without a database. */
export class DatabaseNotConfiguredError extends Error {
  override readonly name = "DatabaseNotConfiguredError";
}

/**
 * A stand-in for `ctx.db` when no database is configured: any property access throws
 * {@link DatabaseNotConfiguredError} naming the fix. A Proxy rather than a throwing getter,
 * because middleware copies contexts with `{...context}`, which would call the getter.
 */
export function createMissingDatabase(message: string): Database {
  return new Proxy(Object.create(null) as object, {
    get(_target, property) {
      // Let `await ctx.db` and inspection work without throwing.
      if (property === "then" || typeof property === "symbol") return undefined;
      throw new DatabaseNotConfiguredError(message);
    },
  }) as Database;
}
