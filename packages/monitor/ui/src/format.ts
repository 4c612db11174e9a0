/** Display formatting shared by the pages. */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** `12345` → `12,345` (locale grouping). */
export function count(n: number): string {
  return integer.format(n);
}

/** Milliseconds as a short duration: `0.42 ms`, `18 ms`, `1.25 s`; `—` for null. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

/** A 0–100 percentage with one decimal; `—` when there is nothing to divide. */
export function percent(value: number, total = 1): string {
  return total === 0 ? "—" : `${value.toFixed(1)}%`;
}

/** Seconds as `3d 4h`, `5h 12m`, `42s`. */
export function uptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${hr}h`;
  if (hr > 0) return `${hr}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Time since an ISO timestamp: `12s ago`, `3h ago`; `never` for null. */
export function ago(isoTime: string | null): string {
  if (!isoTime) return "never";
  const seconds = (Date.now() - Date.parse(isoTime)) / 1000;
  if (seconds < 5) return "just now";
  return `${uptime(seconds).split(" ")[0]} ago`;
}

/** Local date and time with seconds, e.g. `2025-01-31 14:03:07`. */
export function dateTime(isoTime: string | null): string {
  if (!isoTime) return "—";
  const d = new Date(isoTime);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Short axis label for a bucket start. */
export function bucketLabel(isoTime: string, interval: "hour" | "day"): string {
  const d = new Date(isoTime);
  const pad = (n: number) => String(n).padStart(2, "0");
  return interval === "day" ? `${d.getMonth() + 1}/${d.getDate()}` : `${pad(d.getHours())}:00`;
}
