import { createRoute } from "@hono/zod-openapi";
import { adminErrorResponses } from "../http/errors.js";
import { RequestsPageSchema, RequestsQuerySchema } from "../schemas/requests.js";
import { createRouter, type RouteContext } from "./route-context.js";

const requestsRoute = createRoute({
  method: "get",
  path: "/api/monitor/requests",
  tags: ["monitor"],
  summary: "The request log, newest first, filtered and paginated",
  description:
    "Offset pagination with `page`/`page_size` (returns `total`), or keyset pagination with " +
    "`cursor` (pass the previous page's `nextCursor`; stable while new calls arrive).",
  request: { query: RequestsQuerySchema },
  responses: {
    200: {
      description: "A page of calls with user and API key names",
      content: { "application/json": { schema: RequestsPageSchema } },
    },
    ...adminErrorResponses,
  },
});

/** `GET /api/monitor/requests`. */
export function requestsRoutes({ data }: RouteContext) {
  return createRouter().openapi(requestsRoute, async (c) => {
    const q = c.req.valid("query");
    const cursorMode = q.cursor !== undefined;
    const page = cursorMode ? undefined : (q.page ?? 1);
    const result = await data.listRequests({
      ...(q.service === undefined ? {} : { service: q.service }),
      ...(q.method === undefined ? {} : { method: q.method }),
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.user === undefined ? {} : { user: q.user }),
      ...(q.api_key === undefined ? {} : { apiKey: q.api_key }),
      ...(q.from === undefined ? {} : { from: new Date(q.from) }),
      ...(q.to === undefined ? {} : { to: new Date(q.to) }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      ...(page === undefined ? {} : { page }),
      pageSize: q.page_size,
    });
    return c.json(
      {
        items: [...result.items],
        pageSize: q.page_size,
        page: page ?? null,
        total: result.total,
        nextCursor: result.nextCursor,
      },
      200,
    );
  });
}
