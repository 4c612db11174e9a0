import { REQUEST_STATUSES } from "@grpc-cfg/runtime";
import { z } from "@hono/zod-openapi";
import { timestamp } from "./common.js";
import { RequestLogSchema } from "./monitor.js";
import { MAX_CALL_NAME } from "./limits.js";
import { integerParam, text } from "./params.js";

/** Largest page the request listing returns. */
export const MAX_PAGE_SIZE = 500;

/** Highest page number of offset pagination (use the cursor to go further). */
const MAX_PAGE = 1_000_000;

// Filters are capped in length: they reach SQL only as bound parameters, the cap just keeps
// absurd inputs from costing a query. Service and method names are whatever path a client
// called, so theirs is the cap of the service detail route.
const name = (example: string, description: string, max = 300) =>
  text()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .optional()
    .openapi({ example, description });

/** `GET /api/monitor/requests` query: filters plus page/page_size or cursor pagination. */
export const RequestsQuerySchema = z
  .strictObject({
    service: name("shop.v1.UserService", "Fully qualified service name.", MAX_CALL_NAME),
    method: name("GetUser", "Rpc name.", MAX_CALL_NAME),
    status: z
      .enum(REQUEST_STATUSES, { error: `must be one of ${REQUEST_STATUSES.join(", ")}` })
      .optional(),
    user: name("alice", "User id or username."),
    api_key: name("ci-bot", "API key id or name."),
    from: timestamp.optional().openapi({ description: "Calls started at or after this time." }),
    to: timestamp.optional().openapi({ description: "Calls started before this time." }),
    page: integerParam(1, MAX_PAGE)
      .optional()
      .openapi({ description: "1-based page number (offset pagination)." }),
    page_size: integerParam(1, MAX_PAGE_SIZE).default(50).openapi({ default: 50 }),
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
    total: z.number().int().nullable().openapi({
      description:
        "Matching rows: exact up to 10,000, PostgreSQL's estimate above (never fewer than this page proves); null in cursor mode.",
    }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page." }),
  })
  .openapi("RequestsPage");
