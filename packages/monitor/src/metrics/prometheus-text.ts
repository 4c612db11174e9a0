/**
 * Helpers for the Prometheus text exposition format (version 0.0.4).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */

/** Content type scrapers expect for the text format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Label names and values of one series, in the order they are rendered. */
export type Labels = Readonly<Record<string, string>>;

/** Escapes a label value: backslash, double quote and newline must be escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Escapes HELP text: backslash and newline must be escaped. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Renders `{a="1",b="2"}`, or nothing for an empty label set. */
export function renderLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Formats a sample value the way Prometheus parses it (`+Inf`, `NaN`, plain numbers). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** The `# HELP` and `# TYPE` lines that start each metric family. */
export function familyHeader(
  name: string,
  type: "counter" | "gauge" | "histogram",
  help: string,
): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/** One sample line. */
export function sampleLine(name: string, labels: Labels, value: number): string {
  return `${name}${renderLabels(labels)} ${formatValue(value)}\n`;
}
