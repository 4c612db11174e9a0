import type { Hook } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AdminEnv } from "./admin-auth.js";
import { ApiError, errorResponse } from "./errors.js";

const WHERE: Record<string, string> = {
  query: "query parameter",
  param: "path parameter",
  json: "body field",
  header: "header",
};

/**
 * Turns a failed zod validation into a 400 whose message and `parameter` name the first bad
 * input, e.g. `query parameter "page_size": must be a whole number from 1 to 500`.
 */
export const validationHook: Hook<unknown, AdminEnv, string, Response | undefined> = (
  result,
  c,
) => {
  if (result.success) return undefined;
  const repeated =
    result.target === "query"
      ? (name: string) => (c.req.queries(name)?.length ?? 0) > 1
      : () => false;
  return errorResponse(c, describeValidationError(result.error, result.target, repeated));
};

type Issue = ZodError["issues"][number];

/**
 * The {@link ApiError} for a validation failure of one request part. `repeated` tells
 * whether a query parameter was given more than once (Hono then hands the schema an array).
 */
export function describeValidationError(
  error: ZodError,
  target: string,
  repeated: (name: string) => boolean = () => false,
): ApiError {
  const issue = error.issues[0];
  const where = WHERE[target] ?? target;
  if (!issue) return new ApiError("bad_request", `invalid ${where}`);
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) {
    // A misspelt filter must not silently widen the result.
    const unknown = issue.keys[0];
    return new ApiError("bad_request", `unknown ${where} "${unknown}"`, unknown);
  }
  const name = issue.path.map(String).join(".");
  if (name === "") {
    return new ApiError("bad_request", `invalid ${where}: ${issue.message}`);
  }
  if (repeated(name)) {
    return new ApiError("bad_request", `${where} "${name}": given more than once`, name);
  }
  return new ApiError("bad_request", `${where} "${name}": ${messageOf(issue)}`, name);
}

/**
 * An issue's message; for a value that matched none of a union's options, the message of
 * the option whose type it had (`"user": "a\u0000"` failed the string option's check, and
 * saying so beats zod's "Invalid input").
 */
function messageOf(issue: Issue): string {
  if (issue.code !== "invalid_union") return issue.message;
  for (const option of issue.errors) {
    const first = option[0];
    if (first && first.code !== "invalid_type") return messageOf(first);
  }
  return issue.message;
}
