import { OpenAPIHono } from "@hono/zod-openapi";
import type { Authenticator, RequestLogSinkStats } from "@grpc-cfg/runtime";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { MonitorData } from "./data/monitor-data.js";
import { adminAuth, type AdminEnv } from "./http/admin-auth.js";
import { auditLog, defaultAuditReporter, type MonitorAuditReporter } from "./http/audit-log.js";
import { isDatabaseUnavailable } from "./http/database-unavailable.js";
import { ApiError, errorResponse } from "./http/errors.js";
import { mountMetricsRoute, type MetricsAuth } from "./http/metrics-route.js";
import { securityHeaders } from "./http/security-headers.js";
import { findUiDir, mountStaticUi } from "./http/static-ui.js";
import { validationHook } from "./http/validation-hook.js";
import type { MonitorMetrics } from "./metrics/create-metrics.js";
import { apiKeysRoutes } from "./routes/api-keys-routes.js";
import { monitorRoutes } from "./routes/monitor-routes.js";
import { requestsRoutes } from "./routes/requests-routes.js";
import type { RouteContext, ServiceRegistry } from "./routes/route-context.js";
import { serversRoutes } from "./routes/servers-routes.js";
import { servicesRoutes } from "./routes/services-routes.js";

const MAX_BODY_BYTES = 16 * 1024;

/** Paths that answer without an admin key. */
const PUBLIC_PATHS = new Set(["/api/health/live"]);

/** Where unexpected failures are reported (never to the client). */
export type MonitorErrorReporter = (
  error: unknown,
  request: { method: string; path: string },
) => void;

/** What {@link createMonitorAppFromData} needs. */
export interface MonitorAppOptions {
  readonly data: MonitorData;
  /** Checks admin API keys (the store's authenticator, typically). */
  readonly authenticator: Authenticator;
  /** Services the running server registered. */
  readonly registry: ServiceRegistry;
  /** Id of the server instance this monitor runs beside. */
  readonly instanceId: string;
  /** Serves `/metrics` when given. */
  readonly metrics?: MonitorMetrics;
  /** Who may read `/metrics`; default `"admin"`. See {@link MetricsAuth}. */
  readonly metricsAuth?: MetricsAuth;
  /** Stats of the database log sink, reported by `/api/monitor/health`. */
  readonly logSinkStats?: () => RequestLogSinkStats;
  /** Folder of the bundled dashboard; default: found beside the package (`dist/ui`). */
  readonly uiDir?: string | null;
  /** Default: one line on stderr without request data. */
  readonly onError?: MonitorErrorReporter;
  /** Where changes (create, revoke, rotate) are reported; default a JSON line on stderr. */
  readonly onAudit?: MonitorAuditReporter;
}

/**
 * Builds the monitor's Hono app over a {@link MonitorData} port: REST API under `/api`,
 * OpenAPI 3.1 document at `/api/openapi.json`, Prometheus text at `/metrics`, dashboard at `/`.
 */
export function createMonitorAppFromData(options: MonitorAppOptions): OpenAPIHono<AdminEnv> {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const report = options.onError ?? defaultReporter;
  app.onError((error, c) => handleError(error, c, report));
  app.notFound((c) =>
    errorResponse(c, new ApiError("not_found", `no route ${c.req.method} ${c.req.path}`)),
  );

  // First, so error answers (401, 404, 500) get the headers too.
  app.use("*", securityHeaders());
  // Before the admin check, so refused attempts are reported as well.
  app.use("/api/*", auditLog(options.onAudit ?? defaultAuditReporter()));
  const admin = adminAuth(options.authenticator);
  app.use("/api/*", async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : admin(c, next)));
  // The API's bodies are a few small fields; anything large is a mistake or an attack.
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        errorResponse(
          c,
          new ApiError("payload_too_large", `request body over ${MAX_BODY_BYTES} bytes`),
        ),
    }),
  );

  const ctx: RouteContext = {
    data: options.data,
    registry: options.registry,
    instanceId: options.instanceId,
    logSinkStats: options.logSinkStats ?? null,
  };
  app.route("/", monitorRoutes(ctx));
  app.route("/", requestsRoutes(ctx));
  app.route("/", servicesRoutes(ctx));
  app.route("/", serversRoutes(ctx));
  app.route("/", apiKeysRoutes(ctx));

  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description: "API key of a staff or superuser account.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "The API key as `authorization: Bearer <key>`; or a JWT, where the monitor checks " +
      "credentials with the gRPC server's authenticators and those include JWTs.",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "grpc-cfg monitor API",
      version: "1.0.0",
      description:
        "Monitoring and API-key management for a grpc-cfg server. Staff and superuser " +
        "credentials only.",
    },
    security: [{ ApiKey: [] }, { Bearer: [] }],
  });

  if (options.metrics) {
    mountMetricsRoute(app, options.metrics, options.metricsAuth ?? "admin", options.authenticator);
  }
  mountStaticUi(app, options.uiDir === undefined ? findUiDir() : options.uiDir);
  return app;
}

/** Maps thrown errors to JSON responses; anything unexpected is a 500 without internals. */
function handleError(error: unknown, c: Context, report: MonitorErrorReporter): Response {
  if (error instanceof ApiError) {
    // A 503 wraps a failed dependency: the client is told so, the log gets the cause.
    if (error.cause !== undefined) report(error.cause, { method: c.req.method, path: c.req.path });
    return errorResponse(c, error);
  }
  const storeCode = storeErrorCode(error);
  if (storeCode) return errorResponse(c, storeCode);
  if (isDatabaseUnavailable(error)) {
    // An outage or a full connection pool: the client may retry, the log gets the cause.
    report(error, { method: c.req.method, path: c.req.path });
    return errorResponse(
      c,
      new ApiError("unavailable", "the database is unavailable; try again shortly"),
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code =
      error.status === 401 ? "unauthorized" : error.status === 404 ? "not_found" : "bad_request";
    return errorResponse(c, new ApiError(code, error.message || "bad request"));
  }
  report(error, { method: c.req.method, path: c.req.path });
  return errorResponse(c, new ApiError("internal", "internal error; the server log has details"));
}

/**
 * Store errors carry a code and a message written to be shown (never secrets). Matched by
 * name, not `instanceof`, so a second copy of the store package still maps correctly.
 */
function storeErrorCode(error: unknown): ApiError | null {
  if (!(error instanceof Error) || error.name !== "StoreError") return null;
  const code = (error as Error & { code?: string }).code;
  switch (code) {
    case "invalid-argument":
      return new ApiError("bad_request", error.message);
    case "not-found":
      return new ApiError("not_found", error.message);
    case "already-exists":
    case "failed-precondition":
      return new ApiError("conflict", error.message);
    default:
      return null;
  }
}

/**
 * One entry on stderr: the stack, then each `cause` (a failed query's cause is the driver's
 * error, e.g. ECONNREFUSED or "too many connections", which the stack alone does not show).
 */
function defaultReporter(error: unknown, request: { method: string; path: string }): void {
  const lines = [error instanceof Error ? (error.stack ?? error.message) : String(error)];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    const code = (cause as { code?: unknown } | null)?.code;
    const message = cause instanceof Error ? cause.message : String(cause);
    lines.push(`caused by: ${message}${typeof code === "string" ? ` (${code})` : ""}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  process.stderr.write(
    `grpc-cfg monitor: ${request.method} ${request.path} failed: ${lines.join("\n")}\n`,
  );
}
