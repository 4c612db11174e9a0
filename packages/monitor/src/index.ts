/**
 * @grpc-cfg/monitor — the operator surface of a grpc-cfg server: REST monitoring and API-key
 * management API with its OpenAPI document, the web dashboard, and Prometheus metrics.
 * Start with {@link startMonitorServer} (or {@link createMonitorApp}) and {@link createMetrics}.
 */
export { createMonitorApp, startMonitorServer } from "./monitor.js";
export { createMonitorAppFromData } from "./app.js";
export { createStoreData } from "./data/store-data.js";
export { createMetrics } from "./metrics/create-metrics.js";
export { storeMetricsSources } from "./metrics/store-sources.js";
export { PROMETHEUS_CONTENT_TYPE } from "./metrics/prometheus-text.js";
export { ApiError } from "./http/errors.js";

export type { MonitorDeps, RunningMonitor } from "./monitor.js";
export type { MonitorAppOptions, MonitorErrorReporter } from "./app.js";
export type { MonitorAuditEvent, MonitorAuditReporter } from "./http/audit-log.js";
export type { MonitorData } from "./data/monitor-data.js";
export type { StoreDataOptions } from "./data/store-data.js";
export type { AdminEnv } from "./http/admin-auth.js";
export type { ApiErrorCode, ErrorBody } from "./http/errors.js";
export type { MetricsAuth } from "./http/metrics-route.js";
export type {
  KeyCacheStats,
  MetricsOptions,
  MetricsSources,
  MonitorMetrics,
} from "./metrics/create-metrics.js";
export type {
  RegisteredMethod,
  RegisteredService,
  ServiceRegistry,
} from "./routes/route-context.js";
