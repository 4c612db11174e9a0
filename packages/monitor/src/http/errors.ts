import { z } from "@hono/zod-openapi";
import type { Context } from "hono";

/** Machine-readable error codes of the REST API. */
export const API_ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "internal",
  "unavailable",
] as const;

/** One of {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** JSON body of every error response. `parameter` names the offending input for 400s. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES),
      message: z.string(),
      parameter: z.string().optional(),
    }),
  })
  .openapi("Error");

/** Shape of {@link ErrorBodySchema}. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 500 | 503;

const STATUS: Record<ApiErrorCode, ErrorStatus> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  internal: 500,
  unavailable: 503,
};

/**
 * An error a route throws to answer with a JSON error body; the app's error handler turns it
 * into the response. Use for 4xx outcomes that are not plain validation failures, and for
 * 503 when a dependency failed: `cause` then goes to the server log, never to the client.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ApiError";
  }

  get status(): ErrorStatus {
    return STATUS[this.code];
  }
}

/** Renders an {@link ApiError} as its JSON response. */
export function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.parameter === undefined ? {} : { parameter: error.parameter }),
    },
  };
  if (error.code === "unauthorized") {
    c.header("WWW-Authenticate", 'Bearer realm="grpc-cfg monitor"');
  }
  return c.json(body, error.status);
}

/** Error responses every admin route can give; spread into a route's `responses`. */
export const adminErrorResponses = {
  400: jsonError("A query parameter or the body is invalid; `parameter` names it."),
  401: jsonError("No API key, or the key is unknown, revoked or expired."),
  403: jsonError(
    "The key's user is neither staff nor superuser, or (keys of other users) not a superuser.",
  ),
  503: jsonError(
    "The database is unavailable (unreachable or out of connections): the credential could " +
      "not be checked, or the route's query could not run.",
  ),
} as const;

/** A 404 response definition for routes with an id or name in the path. */
export const notFoundResponse = { 404: jsonError("No such resource.") } as const;

function jsonError(description: string) {
  return { description, content: { "application/json": { schema: ErrorBodySchema } } };
}
