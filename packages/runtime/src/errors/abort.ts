import { ServerError, Status } from "nice-grpc-common";
import { BadRequest, ErrorInfo, RichServerError } from "nice-grpc-error-details";
import type { ErrorDetails } from "nice-grpc-error-details";

/** google.rpc.ErrorInfo fields: a machine-readable reason for the error. */
export interface ErrorInfoInput {
  /** UPPER_SNAKE_CASE constant, e.g. `API_KEY_EXPIRED`. */
  readonly reason: string;
  /** Logical grouping, e.g. `grpc-cfg` or your service's domain. Default `""`. */
  readonly domain?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Extra details an abort helper can attach (sent as `grpc-status-details-bin`). */
export interface AbortOptions {
  readonly errorInfo?: ErrorInfoInput;
}

/** One bad field of a request (google.rpc.BadRequest.FieldViolation). */
export interface FieldViolationInput {
  /** Dot path of the field, e.g. `address.zip`. */
  readonly field: string;
  readonly description: string;
}

/** Field violations as a list, or as `{ field: description }`. */
export type FieldViolations = readonly FieldViolationInput[] | Readonly<Record<string, string>>;

/** Normalises {@link FieldViolations} to a list. */
export function toFieldViolations(violations: FieldViolations): FieldViolationInput[] {
  if (Array.isArray(violations)) return [...(violations as readonly FieldViolationInput[])];
  return Object.entries(violations as Readonly<Record<string, string>>).map(
    ([field, description]) => ({ field, description }),
  );
}

/** Builds a google.rpc.BadRequest detail from field violations. */
export function badRequestDetail(violations: FieldViolations): BadRequest {
  return BadRequest.fromPartial({ fieldViolations: toFieldViolations(violations) });
}

function errorInfoDetail(info: ErrorInfoInput): ErrorInfo {
  return ErrorInfo.fromPartial({
    reason: info.reason,
    domain: info.domain ?? "",
    metadata: { ...info.metadata },
  });
}

/**
 * Throws a gRPC error with `code` and `message`, as a RichServerError when there are details
 * (the server's error-details middleware encodes them), else a plain ServerError.
 */
export function abort(
  code: Status,
  message: string,
  options: AbortOptions = {},
  extra: readonly ErrorDetails[] = [],
): never {
  const details: ErrorDetails[] = [...extra];
  if (options.errorInfo) details.push(errorInfoDetail(options.errorInfo));
  if (details.length > 0) throw new RichServerError(code, message, details);
  throw new ServerError(code, message);
}

/** NOT_FOUND. */
export function notFound(message = "Not found", options?: AbortOptions): never {
  return abort(Status.NOT_FOUND, message, options);
}

/** PERMISSION_DENIED. */
export function permissionDenied(message = "Permission denied", options?: AbortOptions): never {
  return abort(Status.PERMISSION_DENIED, message, options);
}

/** INVALID_ARGUMENT, with field violations sent as google.rpc.BadRequest when given. */
export function invalidArgument(
  message = "Invalid argument",
  violations?: FieldViolations,
  options?: AbortOptions,
): never {
  const extra = violations ? [badRequestDetail(violations)] : [];
  return abort(Status.INVALID_ARGUMENT, message, options, extra);
}

/** UNAUTHENTICATED. */
export function unauthenticated(
  message = "Authentication required",
  options?: AbortOptions,
): never {
  return abort(Status.UNAUTHENTICATED, message, options);
}

/** ALREADY_EXISTS. */
export function alreadyExists(message = "Already exists", options?: AbortOptions): never {
  return abort(Status.ALREADY_EXISTS, message, options);
}

/** FAILED_PRECONDITION. */
export function failedPrecondition(message = "Failed precondition", options?: AbortOptions): never {
  return abort(Status.FAILED_PRECONDITION, message, options);
}

/** RESOURCE_EXHAUSTED. */
export function resourceExhausted(message = "Resource exhausted", options?: AbortOptions): never {
  return abort(Status.RESOURCE_EXHAUSTED, message, options);
}

/** UNIMPLEMENTED. */
export function unimplemented(message = "Not implemented", options?: AbortOptions): never {
  return abort(Status.UNIMPLEMENTED, message, options);
}

/** INTERNAL with the message given (which the client sees: keep internals out of it). */
export function internal(message = "Internal server error", options?: AbortOptions): never {
  return abort(Status.INTERNAL, message, options);
}

/** ABORTED (e.g. a concurrency conflict; the client may retry). */
export function aborted(message = "Aborted", options?: AbortOptions): never {
  return abort(Status.ABORTED, message, options);
}

/** UNAVAILABLE (transient; the client may retry). */
export function unavailable(message = "Service unavailable", options?: AbortOptions): never {
  return abort(Status.UNAVAILABLE, message, options);
}

/** DEADLINE_EXCEEDED. */
export function deadlineExceeded(message = "Deadline exceeded", options?: AbortOptions): never {
  return abort(Status.DEADLINE_EXCEEDED, message, options);
}
