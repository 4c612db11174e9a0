import { Status } from "nice-grpc-common";
import type { User } from "../contracts/identity.js";
import type { ServiceContext } from "../context/service-context.js";
import {
  getMetadataValue,
  parsePeerAddress,
  setResponseHeader,
  setResponseTrailer,
} from "../context/metadata.js";
import * as aborts from "../errors/abort.js";
import type { AbortOptions, FieldViolations } from "../errors/abort.js";

/**
 * Root of every generated `<Service>Base` class. Holds only helpers: every helper takes the
 * per-call context, and nothing per-request is ever stored on the instance (one instance
 * serves all concurrent calls).
 *
 * Helper names are reserved ({@link RESERVED_MEMBER_NAMES}); the generator renames rpcs whose
 * handler name would collide with them.
 */
export abstract class BaseService {
  // ---- identity -------------------------------------------------------------------------

  /** The caller, or null for anonymous calls. */
  getUser(ctx: ServiceContext): User | null {
    return ctx.user;
  }

  /** The caller; throws UNAUTHENTICATED when the call is anonymous. */
  requireUser(ctx: ServiceContext): User {
    if (ctx.user === null) return this.unauthenticated("Authentication required");
    return ctx.user;
  }

  /** True when the caller holds `permission`. Superusers hold every permission. */
  checkPermission(ctx: ServiceContext, permission: string): boolean {
    const user = ctx.user;
    if (user === null || !user.isActive) return false;
    return user.isSuperuser || user.permissions.has(permission);
  }

  /** Throws UNAUTHENTICATED when anonymous, PERMISSION_DENIED without `permission`. */
  requirePermission(ctx: ServiceContext, permission: string): User {
    const user = this.requireUser(ctx);
    if (!this.checkPermission(ctx, permission)) {
      return this.permissionDenied(`Permission "${permission}" required`);
    }
    return user;
  }

  /** Throws UNAUTHENTICATED when anonymous, PERMISSION_DENIED unless staff (or superuser). */
  requireStaff(ctx: ServiceContext): User {
    const user = this.requireUser(ctx);
    if (!user.isStaff && !user.isSuperuser) return this.permissionDenied("Staff access required");
    return user;
  }

  /** Throws UNAUTHENTICATED when anonymous, PERMISSION_DENIED unless superuser. */
  requireSuperuser(ctx: ServiceContext): User {
    const user = this.requireUser(ctx);
    if (!user.isSuperuser) return this.permissionDenied("Superuser access required");
    return user;
  }

  // ---- aborts: each throws a nice-grpc ServerError ---------------------------------------

  /** Throws `code` with `message` (and ErrorInfo when given). */
  abort(code: Status, message: string, options?: AbortOptions): never {
    return aborts.abort(code, message, options);
  }
  /** Throws NOT_FOUND. */
  notFound(message?: string, options?: AbortOptions): never {
    return aborts.notFound(message, options);
  }
  /** Throws PERMISSION_DENIED. */
  permissionDenied(message?: string, options?: AbortOptions): never {
    return aborts.permissionDenied(message, options);
  }
  /** Throws INVALID_ARGUMENT; field violations travel as google.rpc.BadRequest. */
  invalidArgument(message?: string, violations?: FieldViolations, options?: AbortOptions): never {
    return aborts.invalidArgument(message, violations, options);
  }
  /** Throws UNAUTHENTICATED. */
  unauthenticated(message?: string, options?: AbortOptions): never {
    return aborts.unauthenticated(message, options);
  }
  /** Throws ALREADY_EXISTS. */
  alreadyExists(message?: string, options?: AbortOptions): never {
    return aborts.alreadyExists(message, options);
  }
  /** Throws FAILED_PRECONDITION. */
  failedPrecondition(message?: string, options?: AbortOptions): never {
    return aborts.failedPrecondition(message, options);
  }
  /** Throws RESOURCE_EXHAUSTED. */
  resourceExhausted(message?: string, options?: AbortOptions): never {
    return aborts.resourceExhausted(message, options);
  }
  /** Throws UNIMPLEMENTED. */
  unimplemented(message?: string, options?: AbortOptions): never {
    return aborts.unimplemented(message, options);
  }
  /** Throws INTERNAL with `message` as given (the client sees it). */
  internal(message?: string, options?: AbortOptions): never {
    return aborts.internal(message, options);
  }
  /** Throws ABORTED. */
  aborted(message?: string, options?: AbortOptions): never {
    return aborts.aborted(message, options);
  }
  /** Throws UNAVAILABLE. */
  unavailable(message?: string, options?: AbortOptions): never {
    return aborts.unavailable(message, options);
  }
  /** Throws DEADLINE_EXCEEDED. */
  deadlineExceeded(message?: string, options?: AbortOptions): never {
    return aborts.deadlineExceeded(message, options);
  }

  // ---- metadata -------------------------------------------------------------------------

  /** A text value of the request metadata, or undefined. */
  getMetadata(ctx: ServiceContext, key: string): string | undefined {
    return getMetadataValue(ctx, key);
  }
  /**
   * Sets a response header (sent with the first message). Throws for keys gRPC reserves
   * (`grpc-status`, `grpc-message`, `content-type`, `te`, `grpc-encoding`, pseudo-headers, …).
   */
  setHeader(ctx: ServiceContext, key: string, value: string): void {
    setResponseHeader(ctx, key, value);
  }
  /**
   * Sets a response trailer (sent when the call ends). Throws for keys gRPC reserves: the
   * call's status comes from what the handler returns or throws, never from a trailer.
   */
  setTrailer(ctx: ServiceContext, key: string, value: string): void {
    setResponseTrailer(ctx, key, value);
  }
  /** The socket peer's IP address (no port), or null. */
  peerAddress(ctx: ServiceContext): string | null {
    return parsePeerAddress(ctx.peer);
  }
  /** The client's IP address, honouring trusted proxies' `x-forwarded-for`. */
  clientAddress(ctx: ServiceContext): string | null {
    return ctx.clientAddress;
  }
}
