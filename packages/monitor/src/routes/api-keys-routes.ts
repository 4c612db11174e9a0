import { createRoute } from "@hono/zod-openapi";
import { adminErrorResponses, ApiError, notFoundResponse } from "../http/errors.js";
import {
  ApiKeySchema,
  ApiKeysQuerySchema,
  ApiKeysSchema,
  ApiKeyStatsQuerySchema,
  ApiKeyStatsSchema,
  CreateApiKeyBodySchema,
  IssuedApiKeySchema,
  RotateApiKeyBodySchema,
  RotatedApiKeySchema,
} from "../schemas/api-keys.js";
import { IdParamsSchema } from "../schemas/params.js";
import { mayIssueFor, mayRevoke, requirePermission, withPermissions } from "./key-permissions.js";
import { createRouter, windowOf, windowView, type RouteContext } from "./route-context.js";

const tags = ["api-keys"];
const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const withId = { params: IdParamsSchema };

const listRoute = createRoute({
  method: "get",
  path: "/api/api-keys",
  tags,
  summary: "API keys, masked (the secret is never shown again)",
  request: { query: ApiKeysQuerySchema },
  responses: { 200: json(ApiKeysSchema, "Keys"), ...adminErrorResponses, ...notFoundResponse },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/api-keys/{id}",
  tags,
  summary: "One API key",
  request: withId,
  responses: { 200: json(ApiKeySchema, "The key"), ...adminErrorResponses, ...notFoundResponse },
});

const statsRoute = createRoute({
  method: "get",
  path: "/api/api-keys/{id}/stats",
  tags,
  summary: "Usage of one key over a window: statistics and methods called",
  request: { ...withId, query: ApiKeyStatsQuerySchema },
  responses: { 200: json(ApiKeyStatsSchema, "Usage"), ...adminErrorResponses, ...notFoundResponse },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/api/api-keys",
  tags,
  summary: "Creates a key; the response carries the secret, once",
  request: {
    body: { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } },
  },
  responses: {
    201: json(IssuedApiKeySchema, "Created; `secret` is shown only in this response"),
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/api/api-keys/{id}/revoke",
  tags,
  summary: "Revokes a key; calls with it are refused from now on",
  request: withId,
  responses: {
    200: json(ApiKeySchema, "The revoked key"),
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/api/api-keys/{id}/rotate",
  tags,
  summary: "Issues a replacement key (secret shown once); the old one stops working",
  request: {
    ...withId,
    body: { required: false, content: { "application/json": { schema: RotateApiKeyBodySchema } } },
  },
  responses: {
    200: json(RotatedApiKeySchema, "The new key"),
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});

/** `/api/api-keys` list, get, stats, create, revoke, rotate. */
export function apiKeysRoutes({ data }: RouteContext) {
  const resolveUser = async (ref: number | string, parameter: string): Promise<number> => {
    const id = await data.findUserId(ref);
    if (id === null) throw new ApiError("not_found", `no user "${ref}"`, parameter);
    return id;
  };
  const keyOr404 = <T>(value: T | null, id: number): T => {
    if (value === null) throw new ApiError("not_found", `no API key with id ${id}`, "id");
    return value;
  };

  return createRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      const userId = q.user === undefined ? undefined : await resolveUser(q.user, "user");
      const items = await data.listKeys({
        ...(userId === undefined ? {} : { userId }),
        includeRevoked: q.include_revoked === "true",
      });
      const caller = c.var.identity;
      return c.json({ items: items.map((k) => withPermissions(caller, k)) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid("param");
      return c.json(withPermissions(c.var.identity, keyOr404(await data.getKey(id), id)), 200);
    })
    .openapi(statsRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { hours } = c.req.valid("query");
      const key = withPermissions(c.var.identity, keyOr404(await data.getKey(id), id));
      const window = windowOf(hours);
      const [statistics, methods] = await Promise.all([
        data.statistics(window, { apiKeyId: id }),
        data.methodFigures(window, { apiKeyId: id }),
      ]);
      return c.json({ key, window: windowView(window, hours), statistics, methods }, 200);
    })
    .openapi(createKeyRoute, async (c) => {
      const body = c.req.valid("json");
      const caller = c.var.identity;
      const userId =
        body.user === undefined ? caller.user.id : await resolveUser(body.user, "user");
      requirePermission(mayIssueFor(caller, userId), issueRefusal("create a key"));
      const expiresAt =
        body.expiresInDays === undefined
          ? null
          : new Date(Date.now() + body.expiresInDays * 86_400_000);
      const issued = await data.createKey({ name: body.name, userId, expiresAt });
      return c.json({ ...issued, key: withPermissions(caller, issued.key) }, 201);
    })
    .openapi(revokeRoute, async (c) => {
      const { id } = c.req.valid("param");
      const caller = c.var.identity;
      const owner = keyOr404(await data.getKey(id), id).user;
      requirePermission(
        mayRevoke(caller, owner),
        "only a superuser may revoke another superuser's key",
      );
      return c.json(withPermissions(caller, keyOr404(await data.revokeKey(id), id)), 200);
    })
    .openapi(rotateRoute, async (c) => {
      const { id } = c.req.valid("param");
      const { graceSeconds } = c.req.valid("json");
      const caller = c.var.identity;
      const owner = keyOr404(await data.getKey(id), id).user;
      requirePermission(mayIssueFor(caller, owner.id), issueRefusal("rotate a key"));
      const rotated = keyOr404(await data.rotateKey(id, graceSeconds ?? 0), id);
      return c.json(
        {
          ...rotated.issued,
          key: withPermissions(caller, rotated.issued.key),
          replaced: withPermissions(caller, rotated.replaced),
        },
        200,
      );
    });
}

function issueRefusal(action: string): string {
  return `only a superuser may ${action} for another user: its secret would act as that user`;
}
