import { createRoute } from "@hono/zod-openapi";
import { adminErrorResponses, ApiError, notFoundResponse } from "../http/errors.js";
import type { MethodFigures } from "../schemas/monitor.js";
import {
  ServiceDetailQuerySchema,
  ServiceDetailSchema,
  ServiceNameParamsSchema,
  ServicesSchema,
} from "../schemas/services.js";
import { HoursQuerySchema } from "../schemas/monitor.js";
import {
  createRouter,
  methodsOf,
  windowOf,
  windowView,
  type RegisteredMethod,
  type RouteContext,
} from "./route-context.js";
import { figuresOf, mergeServiceFigures } from "./service-figures.js";

const RECENT_ERRORS = 20;

const listRoute = createRoute({
  method: "get",
  path: "/api/services",
  tags: ["services"],
  summary: "Registered services (and any seen in the log) with figures",
  request: { query: HoursQuerySchema },
  responses: {
    200: { description: "Services", content: { "application/json": { schema: ServicesSchema } } },
    ...adminErrorResponses,
  },
});

const detailRoute = createRoute({
  method: "get",
  path: "/api/services/{name}",
  tags: ["services"],
  summary: "One service: methods with call kinds, policies and figures; recent errors",
  request: { params: ServiceNameParamsSchema, query: ServiceDetailQuerySchema },
  responses: {
    200: {
      description: "The service",
      content: { "application/json": { schema: ServiceDetailSchema } },
    },
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});

function methodView(
  policy: RegisteredMethod | undefined,
  name: string,
  service: string,
  figures: MethodFigures | undefined,
) {
  return {
    name,
    path: policy?.path ?? `/${service}/${name}`,
    callKind: policy?.callKind ?? null,
    auth: policy?.auth ?? null,
    staffOnly: policy?.staffOnly ?? false,
    superuserOnly: policy?.superuserOnly ?? false,
    permission: policy?.permission ?? null,
    readOnly: policy?.readOnly ?? false,
    figures: figures ?? null,
  };
}

/** `GET /api/services` and `GET /api/services/{name}`. */
export function servicesRoutes({ data, registry }: RouteContext) {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const { hours } = c.req.valid("query");
      const window = windowOf(hours);
      const { items, unlisted } = mergeServiceFigures(registry, await data.serviceFigures(window));
      return c.json({ window: windowView(window, hours), items, unlisted }, 200);
    })
    .openapi(detailRoute, async (c) => {
      const { name } = c.req.valid("param");
      const { hours } = c.req.valid("query");
      const window = windowOf(hours);
      const service = registry.services.find((s) => s.fullName === name);
      const [logged, methods, errors] = await Promise.all([
        data.serviceFigures(window),
        data.methodFigures(window, { service: name }),
        data.listRequests({ service: name, status: "error", pageSize: RECENT_ERRORS, page: 1 }),
      ]);
      const serviceFigures = logged.find((f) => f.service === name);
      if (!service && !serviceFigures && errors.items.length === 0) {
        throw new ApiError(
          "not_found",
          `no service "${name}" is registered or has logged calls`,
          "name",
        );
      }
      const figuresByMethod = new Map(methods.map((m) => [m.method, m]));
      const registered = new Map((service ? methodsOf(service) : []).map((m) => [m.name, m]));
      const names = new Set([...registered.keys(), ...figuresByMethod.keys()]);
      return c.json(
        {
          name,
          registered: service !== undefined,
          protoFile: service?.protoFile ?? null,
          baseKind: service?.baseKind ?? null,
          window: windowView(window, hours),
          figures: figuresOf(name, service, serviceFigures),
          methods: [...names].map((m) =>
            methodView(registered.get(m), m, name, figuresByMethod.get(m)),
          ),
          recentErrors: [...errors.items],
        },
        200,
      );
    });
}
