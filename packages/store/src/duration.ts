import { StoreError } from "./errors.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+)(ms|s|m|h|d|w)/gy;

/**
 * The longest duration {@link parseDuration} accepts unless told otherwise: 100 years
 * (36,500 days). Longer ones reach no real use, and added to or taken from now they leave
 * the range of `Date` and of PostgreSQL's timestamps.
 */
export const MAX_DURATION_MS = 36_500 * 86_400_000;

/**
 * Parses a duration such as `30d`, `1h`, `90s`, `1h30m` or `250ms` into milliseconds.
 * Strict: whole numbers with a unit (ms, s, m, h, d, w), parts in any order, nothing else;
 * longer than 0 and at most `max` (default {@link MAX_DURATION_MS}).
 * Throws a {@link StoreError} (`invalid-argument`) naming the bad text otherwise.
 */
export function parseDuration(text: string, what = "duration", max = MAX_DURATION_MS): number {
  const trimmed = text.trim();
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? Number.NaN);
    consumed = PART.lastIndex;
  }
  if (trimmed === "" || consumed !== trimmed.length) {
    throw new StoreError(
      "invalid-argument",
      `invalid ${what} "${text}": use a whole number with a unit, e.g. 90s, 15m, 1h, 30d or 1h30m`,
    );
  }
  if (total <= 0) {
    throw new StoreError("invalid-argument", `invalid ${what} "${text}": must be longer than 0`);
  }
  // Checked before anything adds it to a date: "99999999d" is well-formed but far past the
  // range of a Date (and of a PostgreSQL timestamp). Infinity (too many digits) lands here too.
  if (!(total <= max)) {
    throw new StoreError(
      "invalid-argument",
      `invalid ${what} "${text}": must be at most ${formatDuration(max)}`,
    );
  }
  return total;
}

/** Formats milliseconds compactly for people, e.g. `1d 2h`, `15m`, `850ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1_000);
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}
