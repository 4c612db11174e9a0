/**
 * Rows of a raw `db.execute(sql…)` result. postgres.js returns the rows array itself, PGlite
 * a `{ rows }` object; everything else in the store goes through the query builder, which
 * returns plain arrays on both.
 */
export function rowsOf<T extends Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (typeof result === "object" && result !== null && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: T[] }).rows;
  }
  throw new TypeError("unexpected query result shape");
}

/** A timestamp as either driver returns it from raw SQL (a `Date` or PostgreSQL text). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  // PostgreSQL text output ("2024-01-02 03:04:05.6+00") is not ISO 8601; make it so.
  const iso = /^\d{4}-\d\d-\d\d \d/.test(text) ? text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00") : text;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
