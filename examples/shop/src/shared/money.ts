/**
 * Prices are stored as integer cents so totals are exact; the API shows them as decimal
 * strings ("19.99") because clients in other languages have no shared decimal type.
 */

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Formats cents as a decimal string with two places: 1999 → "19.99", 5 → "0.05". */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, "0");
  return `${sign}${units}.${rest}`;
}

/**
 * Parses a non-negative decimal price ("10", "9.5", "9.50") into cents. Returns null when the
 * text is not such a number (negative, more than two decimals, exponent, blank…), so callers
 * can report which field is wrong.
 */
export function parsePriceToCents(text: string): number | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const units = Number(match[1]);
  const fraction = (match[2] ?? "").padEnd(2, "0");
  return units * 100 + Number(fraction);
}
