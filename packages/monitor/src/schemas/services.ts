import { CALL_KINDS } from "@grpc-cfg/runtime";
import { z } from "@hono/zod-openapi";
import { hoursParam, WindowSchema } from "./common.js";
import { MethodFiguresSchema, RequestLogSchema, ServiceFiguresSchema } from "./monitor.js";

/** `GET /api/services`. */
export const ServicesSchema = z
  .object({ window: WindowSchema, items: z.array(ServiceFiguresSchema) })
  .openapi("Services");

/** `GET /api/services/{name}` path. */
export const ServiceNameParamsSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, { error: "is not a fully qualified service name" })
    .openapi({ param: { name: "name", in: "path" }, example: "shop.v1.UserService" }),
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
