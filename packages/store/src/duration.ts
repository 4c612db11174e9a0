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
 * Parses a duration such as `30d`, `1h`, `90s`, `1h30m` or `250ms` into milliseconds.
 * Strict: whole numbers with a unit (ms, s, m, h, d, w), parts in any order, nothing else.
 * Throws a {@link StoreError} (`invalid-argument`) naming the bad text otherwise.
 */
export function parseDuration(text: string, what = "duration"): number {
  const trimmed = text.trim();
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? Number.NaN);
    consumed = PART.lastIndex;
  }
  if (trimmed === "" || consumed !== trimmed.length || !Number.isSafeInteger(total)) {
    throw new StoreError(
      "invalid-argument",
      `invalid ${what} "${text}": use a whole number with a unit, e.g. 90s, 15m, 1h, 30d or 1h30m`,
    );
  }
  if (total <= 0) {
    throw new StoreError("invalid-argument", `invalid ${what} "${text}": must be longer than 0`);
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
