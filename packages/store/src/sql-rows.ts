/**
 * Rows of a raw `db.execute(sql…)` result. postgres.js returns the rows array itself, PGlite
 * a `{ rows }` object; everything else in the store goes through the query builder, which
 * returns plain arrays on both.
 */
export function rowsOf<T extends Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (
    typeof result === "object" &&
    result !== null &&
    Array.isArray((result as { rows?: unknown }).rows)
  ) {
    return (result as { rows: T[] }).rows;
  }
  throw new TypeError("unexpected query result shape");
}
