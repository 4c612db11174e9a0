import { createRoute } from "@hono/zod-openapi";
import { adminErrorResponses } from "../http/errors.js";
import {
  HoursQuerySchema,
  MethodsQuerySchema,
  MethodsSchema,
  MonitorHealthSchema,
  OverviewSchema,
  TimelineQuerySchema,
  TimelineSchema,
} from "../schemas/monitor.js";
import { iso } from "../schemas/common.js";
import { createRouter, windowOf, windowView, type RouteContext } from "./route-context.js";
import { mergeServiceFigures } from "./service-figures.js";

const tags = ["monitor"];
const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const healthRoute = createRoute({
  method: "get",
  path: "/api/monitor/health",
  tags,
  summary: "Health of this instance: database reachability and log queue",
  responses: { 200: json(MonitorHealthSchema, "Health"), ...adminErrorResponses },
});

const overviewRoute = createRoute({
  method: "get",
  path: "/api/monitor/overview",
  tags,
  summary: "Statistics, server instances and per-service figures",
  request: { query: HoursQuerySchema },
  responses: { 200: json(OverviewSchema, "Overview"), ...adminErrorResponses },
});

const methodsRoute = createRoute({
  method: "get",
  path: "/api/monitor/methods",
  tags,
  summary: "Per-method count, error rate and latency percentiles",
  request: { query: MethodsQuerySchema },
  responses: { 200: json(MethodsSchema, "Methods"), ...adminErrorResponses },
});

const timelineRoute = createRoute({
  method: "get",
  path: "/api/monitor/timeline",
  tags,
  summary: "Requests, errors and latency per hour or day",
  request: { query: TimelineQuerySchema },
  responses: { 200: json(TimelineSchema, "Timeline"), ...adminErrorResponses },
});

/** `/api/monitor/{health,overview,methods,timeline}`. */
export function monitorRoutes(ctx: RouteContext) {
  const { data, registry, instanceId } = ctx;
  return createRouter()
    .openapi(healthRoute, async (c) => {
      const started = performance.now();
      let ok = true;
      try {
        await data.ping();
      } catch {
        ok = false; // reported below; the cause stays in the server's own logs
      }
      const latencyMs = ok ? Math.round((performance.now() - started) * 100) / 100 : null;
      const sink = ctx.logSinkStats?.() ?? null;
      return c.json(
        {
          status: ok ? ("ok" as const) : ("degraded" as const),
          instanceId,
          time: iso(new Date()),
          database: { ok, latencyMs },
          logSink: sink
            ? { queued: sink.queued, dropped: sink.dropped, written: sink.written }
            : null,
          services: registry.services.length,
        },
        200,
      );
    })
    .openapi(overviewRoute, async (c) => {
      const { hours } = c.req.valid("query");
      const window = windowOf(hours);
      const [statistics, servers, logged] = await Promise.all([
        data.statistics(window),
        data.servers(instanceId),
        data.serviceFigures(window),
      ]);
      const services = mergeServiceFigures(registry, logged);
      return c.json(
        {
          window: windowView(window, hours),
          statistics,
          instance: servers.find((s) => s.current) ?? null,
          servers,
          services: services.items,
          unlistedServices: services.unlisted,
        },
        200,
      );
    })
    .openapi(methodsRoute, async (c) => {
      const { hours, service } = c.req.valid("query");
      const window = windowOf(hours);
      const items = await data.methodFigures(window, service ? { service } : {});
      return c.json({ window: windowView(window, hours), items }, 200);
    })
    .openapi(timelineRoute, async (c) => {
      const { hours, interval, service } = c.req.valid("query");
      const window = windowOf(hours);
      const points = await data.timeline(window, interval, service ? { service } : {});
      const buckets = points.map((p) => ({ ...p, start: iso(p.start) }));
      return c.json({ window: windowView(window, hours), interval, buckets }, 200);
    });
}
