import { familyHeader, sampleLine, type Labels } from "./prometheus-text.js";

/**
 * Series storage shared by counters and histograms. Label sets come from call paths, which a
 * client chooses (an unimplemented method still finishes as a call), so the number of series
 * is capped: past the cap, new label sets are counted as overflow instead of creating series.
 */
class SeriesMap<T> {
  private readonly series = new Map<string, { labels: Labels; value: T }>();
  // Callers that reuse one labels object per series (the request-log sink does) skip the
  // JSON key on every observation. Label objects must not be mutated after first use.
  private readonly byObject = new WeakMap<Labels, T>();
  overflow = 0;

  constructor(
    private readonly maxSeries: number,
    private readonly create: () => T,
  ) {}

  /** The value for these labels, or undefined when the cap stops a new series. */
  get(labels: Labels): T | undefined {
    const known = this.byObject.get(labels);
    if (known !== undefined) return known;
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry) {
      if (this.series.size >= this.maxSeries) {
        this.overflow += 1;
        return undefined;
      }
      entry = { labels, value: this.create() };
      this.series.set(key, entry);
    }
    this.byObject.set(labels, entry.value);
    return entry.value;
  }

  entries(): IterableIterator<{ labels: Labels; value: T }> {
    return this.series.values();
  }
}

/** A monotonically increasing counter per label set. */
export class LabelledCounter {
  private readonly map: SeriesMap<{ n: number }>;

  constructor(
    readonly name: string,
    private readonly help: string,
    maxSeries: number,
  ) {
    this.map = new SeriesMap(maxSeries, () => ({ n: 0 }));
  }

  inc(labels: Labels, by = 1): void {
    const cell = this.map.get(labels);
    if (cell) cell.n += by;
  }

  /** Label sets refused by the series cap, since start. */
  get overflow(): number {
    return this.map.overflow;
  }

  render(): string {
    let out = familyHeader(this.name, "counter", this.help);
    for (const { labels, value } of this.map.entries())
      out += sampleLine(this.name, labels, value.n);
    return out;
  }
}

/** A cumulative histogram per label set, with fixed upper bounds (seconds or any unit). */
export class LabelledHistogram {
  private readonly map: SeriesMap<{ counts: number[]; sum: number; count: number }>;
  private readonly bounds: readonly number[];

  constructor(
    readonly name: string,
    private readonly help: string,
    bounds: readonly number[],
    maxSeries: number,
  ) {
    this.bounds = [...bounds].sort((a, b) => a - b);
    this.map = new SeriesMap(maxSeries, () => ({
      counts: this.bounds.map(() => 0),
      sum: 0,
      count: 0,
    }));
  }

  observe(labels: Labels, value: number): void {
    const cell = this.map.get(labels);
    if (!cell) return;
    cell.sum += value;
    cell.count += 1;
    // Buckets are stored non-cumulative so observe (every call) touches one cell; render
    // (once per scrape) does the summing.
    const i = this.bounds.findIndex((b) => value <= b);
    if (i >= 0) cell.counts[i] = (cell.counts[i] ?? 0) + 1;
  }

  get overflow(): number {
    return this.map.overflow;
  }

  render(): string {
    let out = familyHeader(this.name, "histogram", this.help);
    for (const { labels, value } of this.map.entries()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += value.counts[i] ?? 0;
        out += sampleLine(`${this.name}_bucket`, { ...labels, le: String(bound) }, cumulative);
      });
      out += sampleLine(`${this.name}_bucket`, { ...labels, le: "+Inf" }, value.count);
      out += sampleLine(`${this.name}_sum`, labels, value.sum);
      out += sampleLine(`${this.name}_count`, labels, value.count);
    }
    return out;
  }
}
