import { LOGGED_CALL_KINDS, REQUEST_STATUSES } from "@grpc-cfg/runtime";
import { z } from "@hono/zod-openapi";
import {
  ApiKeyRefSchema,
  StatisticsSchema,
  timestamp,
  UserRefSchema,
  WindowSchema,
} from "./common.js";
import { hoursParam, serviceName } from "./params.js";
import { ServerSchema } from "./servers.js";

/** Query of endpoints that only take a look-back window. */
export const HoursQuerySchema = z.strictObject({ hours: hoursParam });

/** One request-log row with the names of its user and API key. */
export const RequestLogSchema = z
  .object({
    id: z.number().int(),
    requestId: z.string(),
    service: z.string(),
    method: z.string(),
    path: z.string(),
    callKind: z.enum(LOGGED_CALL_KINDS),
    status: z.enum(REQUEST_STATUSES),
    grpcCode: z.number().int(),
    grpcCodeName: z.string().openapi({ example: "NotFound" }),
    errorMessage: z.string().nullable(),
    durationMs: z.number(),
    user: UserRefSchema.nullable(),
    apiKey: ApiKeyRefSchema.nullable(),
    authenticated: z.boolean(),
    authMethod: z.string().nullable(),
    clientAddress: z.string().nullable(),
    requestMessages: z.number().int(),
    responseMessages: z.number().int(),
    startedAt: timestamp,
    completedAt: timestamp,
  })
  .openapi("RequestLog");

/** Shape of {@link RequestLogSchema}. */
export type RequestLogView = z.infer<typeof RequestLogSchema>;

/** Per-service figures over the window. */
export const ServiceFiguresSchema = z
  .object({
    name: z.string(),
    registered: z.boolean().openapi({ description: "Registered by this server instance." }),
    methodCount: z.number().int(),
    requests: z.number().int(),
    errors: z.number().int(),
    errorRate: z.number().openapi({ description: "Percent, 0–100." }),
    avgDurationMs: z.number().nullable(),
    p95Ms: z.number().nullable(),
    lastRequestAt: timestamp.nullable(),
  })
  .openapi("ServiceFigures");

/** Logged services no listing shows, because no `GET /api/services/{name}` could name them. */
export const UnlistedServicesSchema = z
  .object({
    services: z.number().int(),
    requests: z.number().int(),
  })
  .openapi("UnlistedServices", {
    description:
      "Services whose logged name is over 1000 characters (a malformed call path, logged " +
      "whole): counted here, their calls are in the request log.",
  });

/** Per-method figures over the window. */
export const MethodFiguresSchema = z
  .object({
    service: z.string(),
    method: z.string(),
    requests: z.number().int(),
    errors: z.number().int(),
    errorRate: z.number().openapi({ description: "Percent, 0–100." }),
    avgDurationMs: z.number().nullable(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    p99Ms: z.number().nullable(),
  })
  .openapi("MethodFigures");

/** Shape of {@link MethodFiguresSchema}. */
export type MethodFigures = z.infer<typeof MethodFiguresSchema>;

/** `GET /api/monitor/health`. */
export const MonitorHealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    instanceId: z.string(),
    time: timestamp,
    database: z.object({ ok: z.boolean(), latencyMs: z.number().nullable() }),
    logSink: z
      .object({ queued: z.number().int(), dropped: z.number().int(), written: z.number().int() })
      .nullable(),
    services: z.number().int(),
  })
  .openapi("MonitorHealth");

/** `GET /api/monitor/overview`. */
export const OverviewSchema = z
  .object({
    window: WindowSchema,
    statistics: StatisticsSchema,
    instance: ServerSchema.nullable().openapi({ description: "The instance serving this API." }),
    servers: z.array(ServerSchema),
    services: z.array(ServiceFiguresSchema),
    unlistedServices: UnlistedServicesSchema,
  })
  .openapi("Overview");

/** `GET /api/monitor/methods` query. */
export const MethodsQuerySchema = z.strictObject({
  hours: hoursParam,
  service: serviceName().optional().openapi({ example: "shop.v1.UserService" }),
});

/** `GET /api/monitor/methods`. */
export const MethodsSchema = z
  .object({ window: WindowSchema, items: z.array(MethodFiguresSchema) })
  .openapi("Methods");

/** `GET /api/monitor/timeline` query. */
export const TimelineQuerySchema = z.strictObject({
  hours: hoursParam,
  interval: z
    .enum(["hour", "day"], { error: 'must be "hour" or "day"' })
    .default("hour")
    .openapi({ example: "hour" }),
  service: serviceName().optional(),
});

/** One bucket of the timeline. */
export const TimelineBucketSchema = z
  .object({
    start: timestamp,
    requests: z.number().int(),
    errors: z.number().int(),
    avgDurationMs: z.number().nullable(),
    p95Ms: z.number().nullable(),
  })
  .openapi("TimelineBucket");

/** `GET /api/monitor/timeline`. */
export const TimelineSchema = z
  .object({
    window: WindowSchema,
    interval: z.enum(["hour", "day"]),
    buckets: z.array(TimelineBucketSchema),
  })
  .openapi("Timeline");
