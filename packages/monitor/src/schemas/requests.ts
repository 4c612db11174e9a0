import { REQUEST_STATUSES } from "@grpc-cfg/runtime";
import { z } from "@hono/zod-openapi";
import { timestamp } from "./common.js";
import { RequestLogSchema } from "./monitor.js";

/** Largest page the request listing returns. */
export const MAX_PAGE_SIZE = 500;

// Filters are capped in length: they reach SQL only as bound parameters, the cap just keeps
// absurd inputs from costing a query.
const name = (example: string, description: string) =>
  z.string().trim().min(1, { error: "must not be empty" }).max(300).optional().openapi({
    example,
    description,
  });

/** `GET /api/monitor/requests` query: filters plus page/page_size or cursor pagination. */
export const RequestsQuerySchema = z
  .strictObject({
    service: name("shop.v1.UserService", "Fully qualified service name."),
    method: name("GetUser", "Rpc name."),
    status: z
      .enum(REQUEST_STATUSES, { error: `must be one of ${REQUEST_STATUSES.join(", ")}` })
      .optional(),
    user: name("alice", "User id or username."),
    api_key: name("ci-bot", "API key id or name."),
    from: timestamp.optional().openapi({ description: "Calls started at or after this time." }),
    to: timestamp.optional().openapi({ description: "Calls started before this time." }),
    page: z.coerce
      .number({ error: "must be a positive integer" })
      .int({ error: "must be a positive integer" })
      .positive({ error: "must be a positive integer" })
      .max(1_000_000)
      .optional()
      .openapi({ type: "integer", description: "1-based page number (offset pagination)." }),
    page_size: z.coerce
      .number({ error: "must be a positive integer" })
      .int({ error: "must be a positive integer" })
      .positive({ error: "must be a positive integer" })
      .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
      .default(50)
      .openapi({ type: "integer" }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,200}$/, { error: "is not a cursor this API returned" })
      .optional()
      .openapi({ description: "`nextCursor` of the previous page (keyset pagination)." }),
  })
  .refine((q) => !(q.page !== undefined && q.cursor !== undefined), {
    error: "use either page or cursor, not both",
    path: ["cursor"],
  })
  .refine((q) => !(q.from && q.to && Date.parse(q.from) > Date.parse(q.to)), {
    error: "must not be before `from`",
    path: ["to"],
  });

/** Parsed {@link RequestsQuerySchema}. */
export type RequestsQuery = z.infer<typeof RequestsQuerySchema>;

/** `GET /api/monitor/requests`. */
export const RequestsPageSchema = z
  .object({
    items: z.array(RequestLogSchema),
    pageSize: z.number().int(),
    page: z.number().int().nullable().openapi({ description: "Null in cursor mode." }),
    total: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Matching rows; null in cursor mode." }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page." }),
  })
  .openapi("RequestsPage");
