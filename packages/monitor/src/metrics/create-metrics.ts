import type { RequestLogRecord, RequestLogSink, RequestLogSinkStats } from "@grpc-cfg/runtime";
import { grpcCodeName, grpcTypeLabel } from "./grpc-codes.js";
import { familyHeader, sampleLine } from "./prometheus-text.js";
import type { Labels } from "./prometheus-text.js";
import { LabelledCounter, LabelledHistogram } from "./series.js";

/** Hit/miss figures of the API-key cache in front of the database. */
export interface KeyCacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Calls refused UNAVAILABLE because too many key lookups were running and waiting. */
  readonly shed?: number;
}

/** Where gauges read their current values from; attach them once the parts exist. */
export interface MetricsSources {
  /** The request-log sink that writes to the database (queue depth, drops, writes). */
  readonly logSink?: () => RequestLogSinkStats;
  /** The API-key authenticator's cache. */
  readonly keyCache?: () => KeyCacheStats;
  /** Unhandled promise rejections the process survived (`handleProcessFaults` in the runtime). */
  readonly unhandledRejections?: () => number;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Histogram bucket upper bounds in seconds (default: go-grpc-prometheus' buckets). */
  readonly buckets?: readonly number[];
  /** Most label sets per metric; protects memory when clients call made-up paths. Default 5000. */
  readonly maxSeries?: number;
  /** Include process_* and nodejs_* metrics. Default true. */
  readonly processMetrics?: boolean;
  readonly sources?: MetricsSources;
}

/**
 * Prometheus metrics of the gRPC server. It is a {@link RequestLogSink}: give it to the runtime
 * beside the database sink and it counts every finished call. `render()` returns the text
 * exposition format served at `/metrics`.
 */
export interface MonitorMetrics extends RequestLogSink {
  /** Adds or replaces gauge sources (e.g. once the store's sink and authenticator exist). */
  attach(sources: MetricsSources): void;
  /** The current metrics in Prometheus text format. */
  render(): string;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates an empty metrics registry. See {@link MonitorMetrics}. */
export function createMetrics(options: MetricsOptions = {}): MonitorMetrics {
  const maxSeries = options.maxSeries ?? 5000;
  const handled = new LabelledCounter(
    "grpc_server_handled_total",
    "Total number of RPCs completed on the server, regardless of success or failure.",
    maxSeries,
  );
  const handling = new LabelledHistogram(
    "grpc_server_handling_seconds",
    "Histogram of response latency (seconds) of gRPC calls that had been handled by the server.",
    options.buckets ?? DEFAULT_BUCKETS,
    maxSeries,
  );
  const received = new LabelledCounter(
    "grpc_server_msg_received_total",
    "Total number of stream messages received from clients.",
    maxSeries,
  );
  const sent = new LabelledCounter(
    "grpc_server_msg_sent_total",
    "Total number of stream messages sent to clients.",
    maxSeries,
  );
  let sources: MetricsSources = { ...options.sources };
  const withProcess = options.processMetrics ?? true;
  const labelsOf = createLabelCache(maxSeries);

  return {
    write(record: RequestLogRecord): void {
      // write() must never throw: a metrics bug must not break the call path.
      try {
        const { base, withCode } = labelsOf(record);
        handled.inc(withCode);
        handling.observe(base, Math.max(0, record.durationMs) / 1000);
        received.inc(base, record.requestMessages);
        sent.inc(base, record.responseMessages);
      } catch {
        /* ignored on purpose, see above */
      }
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
    attach(next: MetricsSources): void {
      sources = { ...sources, ...next };
    },
    render(): string {
      const overflow = handled.overflow + handling.overflow + received.overflow + sent.overflow;
      return [
        handled.render(),
        handling.render(),
        received.render(),
        sent.render(),
        gauge(
          "grpc_cfg_metrics_series_overflow_total",
          "counter",
          "Observations dropped because a metric reached its series limit.",
          overflow,
        ),
        renderSources(sources),
        withProcess ? renderProcess() : "",
      ].join("");
    },
  };
}

/** The label objects of one record: per method, and per method and status code. */
interface RecordLabels {
  readonly base: Labels;
  readonly withCode: Labels;
}

/**
 * Hands out the same label objects for the same method and code, so the series maps find
 * their cells by object identity instead of building a JSON key four times per call. Bounded
 * like the series themselves: past `maxEntries` it starts over.
 */
function createLabelCache(maxEntries: number): (record: RequestLogRecord) => RecordLabels {
  const cache = new Map<string, RecordLabels>();
  return (record) => {
    const key = `${record.callKind}\u0000${record.service}\u0000${record.method}\u0000${record.grpcCode}`;
    let labels = cache.get(key);
    if (!labels) {
      const base: Labels = {
        grpc_type: grpcTypeLabel(record.callKind),
        grpc_service: record.service,
        grpc_method: record.method,
      };
      labels = { base, withCode: { ...base, grpc_code: grpcCodeName(record.grpcCode) } };
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, labels);
    }
    return labels;
  };
}

function gauge(name: string, type: "counter" | "gauge", help: string, value: number): string {
  return familyHeader(name, type, help) + sampleLine(name, {}, value);
}

function renderSources(sources: MetricsSources): string {
  let out = "";
  const log = safeRead(sources.logSink);
  if (log) {
    out += gauge(
      "grpc_cfg_log_queue_depth",
      "gauge",
      "Request-log records waiting to be written.",
      log.queued,
    );
    out += gauge(
      "grpc_cfg_log_dropped_total",
      "counter",
      "Request-log records dropped because the queue was full.",
      log.dropped,
    );
    out += gauge(
      "grpc_cfg_log_written_total",
      "counter",
      "Request-log records written to the database.",
      log.written,
    );
  }
  const keys = safeRead(sources.keyCache);
  if (keys) {
    out += gauge(
      "grpc_cfg_key_cache_hits_total",
      "counter",
      "API-key lookups answered from the cache.",
      keys.hits,
    );
    out += gauge(
      "grpc_cfg_key_cache_misses_total",
      "counter",
      "API-key lookups that went to the database.",
      keys.misses,
    );
    if (keys.shed !== undefined) {
      out += gauge(
        "grpc_cfg_key_lookups_shed_total",
        "counter",
        "Calls refused UNAVAILABLE because too many uncached API keys were being looked up.",
        keys.shed,
      );
    }
  }
  const rejections = safeRead(sources.unhandledRejections);
  if (rejections !== undefined) {
    out += gauge(
      "grpc_cfg_unhandled_rejections_total",
      "counter",
      "Promise rejections nobody handled (logged; the server kept serving).",
      rejections,
    );
  }
  return out;
}

/** A failing source omits its metrics rather than failing the whole scrape. */
function safeRead<T>(read: (() => T) | undefined): T | undefined {
  if (!read) return undefined;
  try {
    return read();
  } catch {
    return undefined;
  }
}

function renderProcess(): string {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  return [
    gauge(
      "process_cpu_seconds_total",
      "counter",
      "Total user and system CPU time spent in seconds.",
      (cpu.user + cpu.system) / 1e6,
    ),
    gauge("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", mem.rss),
    gauge(
      "process_start_time_seconds",
      "gauge",
      "Start time of the process since unix epoch in seconds.",
      startSeconds,
    ),
    gauge("nodejs_heap_used_bytes", "gauge", "V8 heap in use, in bytes.", mem.heapUsed),
  ].join("");
}
