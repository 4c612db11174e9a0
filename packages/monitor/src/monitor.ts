import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Authenticator, RequestLogSinkStats } from "@grpc-cfg/runtime";
import type { Store } from "@grpc-cfg/store";
import { createMonitorAppFromData, type MonitorErrorReporter } from "./app.js";
import type { MonitorAuditReporter } from "./http/audit-log.js";
import { createStoreData } from "./data/store-data.js";
import type { AdminEnv } from "./http/admin-auth.js";
import { listen, type RunningHttpServer } from "./http/listen.js";
import type { MetricsAuth } from "./http/metrics-route.js";
import type { MonitorMetrics } from "./metrics/create-metrics.js";
import type { ServiceRegistry } from "./routes/route-context.js";

/** What the monitor needs from the server it runs beside. */
export interface MonitorDeps {
  /** The open store (PGlite or PostgreSQL). */
  readonly store: Store;
  /** Checks admin credentials: typically the store's API-key authenticator. */
  readonly authenticator: Authenticator;
  /** Services the running server registered (the generated manifest fits). */
  readonly registry: ServiceRegistry;
  /** This server's instance id (from `store.registerInstance`). */
  readonly instanceId: string;
  /** Metrics fed by the runtime; `/metrics` is served only when given. */
  readonly metrics?: MonitorMetrics;
  /** Who may read `/metrics` (default `"admin"`). */
  readonly metricsAuth?: MetricsAuth;
  /** The database log sink's stats, shown by `/api/monitor/health`. */
  readonly logSinkStats?: () => RequestLogSinkStats;
  /** Running instances silent this long are reported stale (default 30 000; config `instance.staleAfterMs`). */
  readonly staleAfterMs?: number;
  /** Folder of the bundled dashboard; default `dist/ui` of this package; null disables it. */
  readonly uiDir?: string | null;
  /** Where unexpected errors go (default: stderr). */
  readonly onError?: MonitorErrorReporter;
  /** Where changes made through the API go (default: a JSON line on stderr). */
  readonly onAudit?: MonitorAuditReporter;
}

/** A running monitor HTTP server. */
export interface RunningMonitor {
  /** Base URL, e.g. `http://127.0.0.1:50052`. */
  readonly url: string;
  readonly port: number;
  /** Stops the HTTP server (the store stays open: it belongs to the caller). */
  close(): Promise<void>;
}

/**
 * The monitor as a Hono app: REST API under `/api` (admin key required except
 * `/api/health/live`), OpenAPI 3.1 at `/api/openapi.json`, Prometheus text at `/metrics`,
 * dashboard at `/`. Mount it in another server or serve it with {@link startMonitorServer}.
 */
export function createMonitorApp(deps: MonitorDeps): OpenAPIHono<AdminEnv> {
  return createMonitorAppFromData({
    data: createStoreData(
      deps.store,
      deps.staleAfterMs === undefined ? {} : { staleAfterMs: deps.staleAfterMs },
    ),
    authenticator: deps.authenticator,
    registry: deps.registry,
    instanceId: deps.instanceId,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.metricsAuth ? { metricsAuth: deps.metricsAuth } : {}),
    ...(deps.logSinkStats ? { logSinkStats: deps.logSinkStats } : {}),
    ...(deps.uiDir === undefined ? {} : { uiDir: deps.uiDir }),
    ...(deps.onError ? { onError: deps.onError } : {}),
    ...(deps.onAudit ? { onAudit: deps.onAudit } : {}),
  });
}

/**
 * Serves {@link createMonitorApp} on `host:port` (port 0 = any free port). Rejects with a
 * message naming the address when it cannot listen.
 */
export async function startMonitorServer(
  deps: MonitorDeps,
  options: { readonly host: string; readonly port: number },
): Promise<RunningMonitor> {
  const server: RunningHttpServer = await listen(
    createMonitorApp(deps),
    options.host,
    options.port,
  );
  return { url: server.url, port: server.port, close: () => server.close() };
}
