import type { FieldViolationInput, FieldViolations } from "./abort.js";
import { toFieldViolations } from "./abort.js";

/**
 * Throw from anywhere in a handler (e.g. a repository) when a looked-up thing is missing;
 * the error-mapping middleware turns it into NOT_FOUND with this message.
 */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(message = "Not found", options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Throw when input is invalid; mapped to INVALID_ARGUMENT with the violations as
 * google.rpc.BadRequest details.
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  /** The bad fields, each with a description. */
  readonly violations: readonly FieldViolationInput[];
  constructor(message: string, violations: FieldViolations = [], options?: ErrorOptions) {
    super(message, options);
    this.violations = toFieldViolations(violations);
  }
}
