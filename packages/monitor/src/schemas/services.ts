import { CALL_KINDS } from "@grpc-cfg/runtime";
import { z } from "@hono/zod-openapi";
import { WindowSchema } from "./common.js";
import {
  MethodFiguresSchema,
  RequestLogSchema,
  ServiceFiguresSchema,
  UnlistedServicesSchema,
} from "./monitor.js";
import { hoursParam, serviceName } from "./params.js";

/** `GET /api/services`. */
export const ServicesSchema = z
  .object({
    window: WindowSchema,
    items: z.array(ServiceFiguresSchema),
    unlisted: UnlistedServicesSchema,
  })
  .openapi("Services");

/**
 * `GET /api/services/{name}` path. Any name the listing gives is accepted, not only proto
 * names: a call to a path that is not `/<service>/<method>` is logged with the whole path as
 * its service (`//`, `/noslash`), and the listing shows it like any other.
 */
export const ServiceNameParamsSchema = z.object({
  name: serviceName().openapi({
    param: { name: "name", in: "path" },
    example: "shop.v1.UserService",
    description: "As `/api/services` lists it, percent-encoded.",
  }),
});

/** `GET /api/services/{name}` query. */
export const ServiceDetailQuerySchema = z.strictObject({ hours: hoursParam });

/** A method of a registered service with its policy and figures. */
export const ServiceMethodSchema = z
  .object({
    name: z.string(),
    path: z.string(),
    callKind: z.enum(CALL_KINDS).nullable(),
    auth: z.string().nullable().openapi({
      description: "`public`, `optional`, `required`, or a description such as `staff`.",
    }),
    staffOnly: z.boolean(),
    superuserOnly: z.boolean(),
    permission: z.string().nullable(),
    readOnly: z.boolean(),
    figures: MethodFiguresSchema.nullable(),
  })
  .openapi("ServiceMethod");

/** `GET /api/services/{name}`. */
export const ServiceDetailSchema = z
  .object({
    name: z.string(),
    registered: z.boolean(),
    protoFile: z.string().nullable(),
    baseKind: z.enum(["base", "read-only", "auth-required"]).nullable(),
    window: WindowSchema,
    figures: ServiceFiguresSchema,
    methods: z.array(ServiceMethodSchema),
    recentErrors: z.array(RequestLogSchema),
  })
  .openapi("ServiceDetail");
