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
 * input, e.g. `query parameter "page_size": must be at most 500`.
 */
export const validationHook: Hook<unknown, AdminEnv, string, Response | undefined> = (
  result,
  c,
) => {
  if (result.success) return undefined;
  return errorResponse(c, describeValidationError(result.error, result.target));
};

/** The {@link ApiError} for a validation failure of one request part. */
export function describeValidationError(error: ZodError, target: string): ApiError {
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
  return new ApiError("bad_request", `${where} "${name}": ${issue.message}`, name);
}
