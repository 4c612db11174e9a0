/**
 * SQLSTATE of a database error (PGlite's and postgres.js' errors carry it as `code`; Drizzle
 * wraps them in DrizzleQueryError with the original as `cause`), or null.
 */
export function sqlStateOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** SQLSTATE of a unique-constraint violation. */
export const UNIQUE_VIOLATION = "23505";
