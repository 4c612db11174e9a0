import { once } from "node:events";

/** Writes text to stdout, waiting for the pipe to drain (long listings, --follow). */
export async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}

/** Pretty JSON with a trailing newline. Dates become ISO strings. */
export function printJson(value: unknown): Promise<void> {
  return write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Widths that fit the headers and every cell of `rows`, column by column. */
export function columnWidths(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): number[] {
  return headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
}

/**
 * One table line: each cell but the last padded to its column's width, or cut to it with
 * `…` when longer; the last runs as long as it is.
 */
export function renderRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => {
      const width = widths[i] ?? 0;
      if (i === cells.length - 1) return cell;
      return cell.length > width ? `${cell.slice(0, Math.max(0, width - 1))}…` : cell.padEnd(width);
    })
    .join("  ")
    .trimEnd();
}

/**
 * A plain-text table: a header row, a rule, one row per item, columns padded. `widths`
 * (default: what fits every cell) fixes the columns, for rows printed later under the same
 * header (`logs --follow`) with {@link renderRow}.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  widths: readonly number[] = columnWidths(headers, rows),
): string {
  const lines = [headers, widths.map((width) => "-".repeat(width)), ...rows];
  return `${lines.map((cells) => renderRow(cells, widths)).join("\n")}\n`;
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
