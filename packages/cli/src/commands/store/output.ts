import { once } from "node:events";

/** Writes text to stdout, waiting for the pipe to drain (long listings, --follow). */
export async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

/** Pretty JSON with a trailing newline. Dates become ISO strings. */
export function printJson(value: unknown): Promise<void> {
  return write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain-text table: a header row, a rule, one row per item, columns padded. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return (
    [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n") +
    "\n"
  );
}

/** `2024-05-01 12:30:05Z` (UTC, seconds), or `-` for none. */
export function formatTime(value: Date | null | undefined): string {
  return value ? `${value.toISOString().slice(0, 19).replace("T", " ")}Z` : "-";
}

/** A number with at most `digits` decimals, or `-` for null. */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return "-";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}
