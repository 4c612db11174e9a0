import type { RequestLogSinkStats } from "@grpc-cfg/runtime";
import type { ApiKeyAuthenticatorStats } from "@grpc-cfg/store";
import type { MetricsSources } from "./create-metrics.js";

/**
 * Gauge sources from the store's parts: the database log sink (queue depth, drops, writes)
 * and the API-key authenticator (cache hits; a miss is a database lookup).
 *
 * ```ts
 * metrics.attach(storeMetricsSources({ sink, authenticator }));
 * ```
 */
export function storeMetricsSources(parts: {
  readonly sink?: { stats(): RequestLogSinkStats };
  readonly authenticator?: { stats(): ApiKeyAuthenticatorStats };
}): MetricsSources {
  const { sink, authenticator } = parts;
  return {
    ...(sink ? { logSink: () => sink.stats() } : {}),
    ...(authenticator
      ? {
          keyCache: () => {
            const stats = authenticator.stats();
            return { hits: stats.cacheHits, misses: stats.lookups, shed: stats.shedLookups };
          },
        }
      : {}),
  };
}
