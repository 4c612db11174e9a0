import { formatValue } from "./prometheus-text.js";

/**
 * Merges the `/metrics` texts of several processes of one server (`serve --workers N`) into
 * one exposition: each family once, with its header, holding the samples of every text.
 * Samples of the same series are added (`process_start_time_seconds` keeps the earliest);
 * `serve --workers N` labels each worker's samples first, so there they only group. Families
 * and series keep the order in which they first appear. Texts must be in the form `render()`
 * writes: `# HELP`/`# TYPE` lines before each family, samples without timestamps.
 */
export function mergePrometheusText(texts: readonly string[]): string {
  if (texts.length === 1) return texts[0] ?? "";
  const families = new Map<string, { header: string[]; samples: Map<string, number> }>();
  for (const text of texts) {
    let family: { header: string[]; samples: Map<string, number> } | undefined;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const header = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (header) {
        const name = header[2] ?? "";
        family = families.get(name);
        if (!family) {
          family = { header: [], samples: new Map() };
          families.set(name, family);
        }
        if (family.header.length < 2 && !family.header.includes(line)) family.header.push(line);
        continue;
      }
      if (line.startsWith("#") || !family) continue;
      // The value is the last field; label values may hold spaces, the value never does.
      const cut = line.lastIndexOf(" ");
      const series = line.slice(0, cut);
      const value = parseValue(line.slice(cut + 1));
      const previous = family.samples.get(series);
      family.samples.set(series, previous === undefined ? value : combine(series, previous, value));
    }
  }
  let out = "";
  for (const { header, samples } of families.values()) {
    for (const line of header) out += `${line}\n`;
    for (const [series, value] of samples) out += `${series} ${formatValue(value)}\n`;
  }
  return out;
}

function combine(series: string, a: number, b: number): number {
  return series === "process_start_time_seconds" ? Math.min(a, b) : a + b;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}
