import { ClientError, ServerError, Status } from "nice-grpc-common";
import { RichServerError } from "nice-grpc-error-details";
import type { Logger } from "../logging/logger.js";
import { serializeError } from "../logging/logger.js";
import type { RouteInfo } from "../middleware/call-state.js";
import { isAbortError } from "../middleware/call-state.js";
import { badRequestDetail } from "./abort.js";
import type { FieldViolationInput } from "./abort.js";
import { runtimeErrorKind } from "./app-errors.js";
import type { DatabaseEndpoint } from "./database-endpoints.js";
import { isDatabaseConnectionError } from "./database-endpoints.js";
import { findErrorCode, isConnectionErrorCode, isUnavailableCode, SQLSTATE } from "./sqlstate.js";

/** What {@link toServerError} needs to know about the call. */
export interface ErrorMappingContext {
  readonly requestId: string;
  readonly path: string;
  readonly route: RouteInfo | null;
  /** Server-side logger: mapped errors are logged here with their full text and stack. */
  readonly logger: Logger;
  /** True when the call's signal fired because its deadline passed (not a client cancel). */
  readonly deadlineExceeded: boolean;
  /**
   * The call's own signal (`ctx.signal`). An `AbortError` means the call was cancelled only
   * when this signal has fired; without it, or before it fires, an `AbortError` is one the
   * handler's own code caused (its own timeout aborting a fetch) and maps to INTERNAL.
   */
  readonly signal?: AbortSignal;
  /** True when the server's shutdown cancelled the call (its grace period was over). */
  readonly shuttingDown?: boolean;
  /**
   * Where the configured database listens: a connection failure (ECONNREFUSED, …) towards it
   * is reported as the database being unavailable; towards anything else, as a service.
   */
  readonly databaseEndpoints?: readonly DatabaseEndpoint[];
}

interface ZodLikeIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function zodIssues(error: unknown): readonly ZodLikeIssue[] | null {
  if (!(error instanceof Error) || error.name !== "ZodError") return null;
  const issues = (error as { issues?: unknown }).issues;
  return Array.isArray(issues) ? (issues as ZodLikeIssue[]) : null;
}

function validationViolations(error: unknown): readonly FieldViolationInput[] | null {
  const issues = zodIssues(error);
  if (issues) {
    return issues.map((issue) => ({
      field: issue.path.map(String).join("."),
      description: issue.message,
    }));
  }
  if (runtimeErrorKind(error) === "validation") {
    const violations = (error as { violations?: unknown }).violations;
    return Array.isArray(violations) ? (violations as FieldViolationInput[]) : [];
  }
  return null;
}

function readOnlyMessage(ctx: ErrorMappingContext): string {
  if (ctx.route?.baseKind === "read-only") {
    return `ReadOnlyService ${ctx.route.service} cannot write to the database`;
  }
  return `Read-only method ${ctx.path} cannot write to the database`;
}

function databaseError(code: string, error: unknown, ctx: ErrorMappingContext): ServerError | null {
  switch (code) {
    case SQLSTATE.uniqueViolation:
      return new ServerError(Status.ALREADY_EXISTS, "Resource already exists");
    case SQLSTATE.foreignKeyViolation:
      return new ServerError(
        Status.FAILED_PRECONDITION,
        "Operation refers to a missing or still-referenced resource",
      );
    case SQLSTATE.serializationFailure:
    case SQLSTATE.deadlockDetected:
      return new ServerError(Status.ABORTED, "Concurrent update conflict; retry the call");
    case SQLSTATE.readOnlyTransaction:
      return new ServerError(Status.FAILED_PRECONDITION, readOnlyMessage(ctx));
  }
  if (isUnavailableCode(code) || isDatabaseConnectionError(error, ctx.databaseEndpoints ?? [])) {
    return new ServerError(Status.UNAVAILABLE, DATABASE_UNAVAILABLE);
  }
  return null;
}

const DATABASE_UNAVAILABLE = "Database unavailable; retry later";

/** What an aborted call's handler threw becomes: why the call's signal fired. */
function cancellation(ctx: ErrorMappingContext): ServerError {
  if (ctx.deadlineExceeded) return new ServerError(Status.DEADLINE_EXCEEDED, "Deadline exceeded");
  // Retryable, as grpc-go's Stop answers: the client gave up nothing.
  if (ctx.shuttingDown) return new ServerError(Status.UNAVAILABLE, "Server shutting down");
  return new ServerError(Status.CANCELLED, "Call cancelled");
}

/**
 * Maps anything a handler throws to the ServerError the client receives. gRPC errors pass
 * through; known error types get their proper code with a message safe for clients;
 * anything else becomes INTERNAL with a generic message, and the full error (with stack) goes
 * to the server log only. The runtime's `NotFoundError` and `ValidationError` are recognised
 * by a brand their constructors set, never by `name`, so a library's error of that name
 * cannot put its message in front of the client.
 */
export function toServerError(error: unknown, ctx: ErrorMappingContext): ServerError {
  if (error instanceof ServerError) return error;
  if (error instanceof ClientError) return new ServerError(error.code, error.details);
  if (isAbortError(error) && ctx.signal?.aborted === true) return cancellation(ctx);
  if (runtimeErrorKind(error) === "not-found") {
    return new ServerError(Status.NOT_FOUND, (error as Error).message || "Not found");
  }
  const violations = validationViolations(error);
  if (violations) {
    const message =
      zodIssues(error) !== null
        ? `Invalid request: ${violations.map((v) => `${v.field || "(root)"}: ${v.description}`).join("; ")}`
        : (error as Error).message || "Invalid argument";
    return new RichServerError(Status.INVALID_ARGUMENT, message, [badRequestDetail(violations)]);
  }
  const code = findErrorCode(error);
  const mapped = code === null ? null : databaseError(code, error, ctx);
  if (mapped) {
    ctx.logger.warn("database error mapped to gRPC status", {
      requestId: ctx.requestId,
      path: ctx.path,
      grpcCode: Status[mapped.code],
      error: serializeError(error),
    });
    return mapped;
  }
  if (code !== null && isConnectionErrorCode(code)) {
    // Some other service the handler talks to (Redis, an HTTP API): retryable, but not the
    // database, and not expected, so logged in full like any unexpected error.
    ctx.logger.error("connection error in handler", {
      requestId: ctx.requestId,
      path: ctx.path,
      error: serializeError(error),
    });
    return new ServerError(Status.UNAVAILABLE, "Service unavailable; retry later");
  }
  ctx.logger.error("unhandled error in handler", {
    requestId: ctx.requestId,
    path: ctx.path,
    error: serializeError(error),
  });
  return new ServerError(Status.INTERNAL, `Internal server error (request id ${ctx.requestId})`);
}
