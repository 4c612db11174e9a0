const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration like `5s`, `250ms`, `1.5m`, `2h` or `1m30s` into milliseconds. A bare
 * number means seconds. Throws a RangeError naming the bad input.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((part) => part[0]).join("");
  if (parts.length === 0 || consumed !== trimmed) {
    throw new RangeError(`"${text}" is not a duration: write e.g. 5s, 250ms, 1m30s`);
  }
  return parts.reduce(
    (total, [, amount, unit]) => total + Number(amount) * (UNIT_MS[unit ?? ""] ?? 0),
    0,
  );
}
