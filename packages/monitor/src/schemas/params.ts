/**
 * Building blocks for every input the API reads: string query parameters and body fields,
 * numeric query and path parameters. Routes use these instead of bare `z.string()` /
 * `z.coerce.number()`, so each rule below holds for every parameter at once.
 */
import { z } from "@hono/zod-openapi";
import { MAX_HOURS, MAX_CALL_NAME, MIN_HOURS } from "./limits.js";

/** Largest PostgreSQL `integer`, the type of every id. */
export const MAX_ID = 2 ** 31 - 1;

// PostgreSQL text cannot hold U+0000 (the query fails), and an unpaired UTF-16 surrogate has
// no UTF-8 form (drivers replace it, so the value compared is not the one sent).
const UNSTORABLE = /[\0\p{Cs}]/u;

/**
 * A string parameter or body field. Refuses characters the database cannot store, so they
 * are a 400 naming the parameter rather than a failed query.
 */
export function text() {
  return z.string({ error: "must be a string" }).refine((value) => !UNSTORABLE.test(value), {
    error: "must not contain NUL characters or unpaired surrogates",
    abort: true,
  });
}

/** A service name as logged (a proto name, or a malformed call path): up to {@link MAX_CALL_NAME}. */
export function serviceName() {
  return text()
    .min(1, { error: "must not be empty" })
    .max(MAX_CALL_NAME, { error: `must be at most ${MAX_CALL_NAME} characters` });
}

const serviceNameSchema = serviceName();

/** True for a name `GET /api/services/{name}` accepts: the listings give no other. */
export function isServiceName(name: string): boolean {
  return serviceNameSchema.safeParse(name).success;
}

// Plain decimal only: `Number()` would also read 0x1, 0o3, 0b10, 1e3, " 1", "+1" and "01",
// so a request for one id could act on another.
const DECIMAL_INTEGER = /^(?:0|[1-9][0-9]*)$/;
const DECIMAL_NUMBER = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/**
 * A numeric query or path parameter written in plain decimal (`integer`: digits only) and
 * within `[min, max]`. Every failure, format or range, gives the same `message`, which
 * should state the range.
 */
function decimalParam(options: { integer: boolean; min: number; max: number; message: string }) {
  const { integer, min, max, message } = options;
  return z
    .string({ error: message })
    .regex(integer ? DECIMAL_INTEGER : DECIMAL_NUMBER, { error: message })
    .transform(Number)
    .pipe(z.number().min(min, { error: message }).max(max, { error: message }))
    .openapi({ type: integer ? "integer" : "number", minimum: min, maximum: max });
}

/** A whole-number query or path parameter from `min` to `max`. */
export function integerParam(min: number, max: number, message?: string) {
  return decimalParam({
    integer: true,
    min,
    max,
    message: message ?? `must be a whole number from ${min} to ${max}`,
  });
}

/** `hours` query parameter: the look-back window, default 24. */
export const hoursParam = decimalParam({
  integer: false,
  min: MIN_HOURS,
  max: MAX_HOURS,
  message: `must be a decimal number of hours from ${MIN_HOURS} to ${MAX_HOURS} (90 days)`,
})
  .default(24)
  .openapi({ param: { name: "hours", in: "query" }, example: 24, default: 24 });

/** A positive integer path id, e.g. `/api/api-keys/{id}`. */
export const IdParamsSchema = z.object({
  id: integerParam(1, MAX_ID, `must be a positive integer id (1 to ${MAX_ID})`).openapi({
    param: { name: "id", in: "path" },
    example: 1,
  }),
});
