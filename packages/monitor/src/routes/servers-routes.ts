import { createRoute, z } from "@hono/zod-openapi";
import { adminErrorResponses } from "../http/errors.js";
import { ServersSchema } from "../schemas/servers.js";
import { createRouter, type RouteContext } from "./route-context.js";

const serversRoute = createRoute({
  method: "get",
  path: "/api/servers",
  tags: ["servers"],
  summary: "Every server instance sharing the database, with its state",
  description:
    "`stale` marks an instance whose row says running or stopping but whose heartbeat stopped: " +
    "it died without finishing its shutdown.",
  responses: {
    200: { description: "Instances", content: { "application/json": { schema: ServersSchema } } },
    ...adminErrorResponses,
  },
});

const liveRoute = createRoute({
  method: "get",
  path: "/api/health/live",
  tags: ["health"],
  summary: "Liveness: answers while the process serves HTTP (no auth, no database)",
  security: [],
  responses: {
    200: {
      description: "Alive",
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
    },
  },
});

/** `GET /api/servers` and the unauthenticated liveness probe. */
export function serversRoutes({ data, instanceId }: RouteContext) {
  return createRouter()
    .openapi(serversRoute, async (c) => c.json({ items: await data.servers(instanceId) }, 200))
    .openapi(liveRoute, (c) => c.json({ status: "ok" as const }, 200));
}
