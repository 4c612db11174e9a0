import type { FieldViolationInput, FieldViolations } from "./abort.js";
import { toFieldViolations } from "./abort.js";

/** What kind of runtime error an object is, by its {@link ERROR_KIND} brand. */
export type RuntimeErrorKind = "not-found" | "validation";

// The error mapping recognises the runtime's own error classes by this brand, not by their
// `name`: a library's error that happens to be named "NotFoundError" or "ValidationError"
// (a DOMException, class-validator, mongoose) carries an internal message the client must
// not see. `Symbol.for`, so an error from a second copy of the package (an app that bundles
// its own) is recognised too, which `instanceof` would miss.
const ERROR_KIND = Symbol.for("grpc-cfg.error-kind");

/** Brands `error` as a runtime error of `kind` (non-enumerable: not in JSON or spreads). */
function brand(error: Error, kind: RuntimeErrorKind): void {
  Object.defineProperty(error, ERROR_KIND, { value: kind, configurable: true });
}

/** The kind of a {@link NotFoundError} or {@link ValidationError} (or subclass), else null. */
export function runtimeErrorKind(error: unknown): RuntimeErrorKind | null {
  if (typeof error !== "object" || error === null) return null;
  const kind = (error as { [ERROR_KIND]?: unknown })[ERROR_KIND];
  return kind === "not-found" || kind === "validation" ? kind : null;
}

/**
 * Throw from anywhere in a handler (e.g. a repository) when a looked-up thing is missing;
 * the error-mapping middleware turns it into NOT_FOUND with this message.
 */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(message = "Not found", options?: ErrorOptions) {
    super(message, options);
    brand(this, "not-found");
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
    brand(this, "validation");
  }
}
