import type { Identity } from "../contracts/identity.js";
import type { MethodPolicy, ServiceBaseKind } from "../contracts/method-table.js";
import type { ErrorDetails } from "nice-grpc-error-details";

/** Where a registered method lives: its policy and the service it belongs to. */
export interface RouteInfo {
  readonly policy: MethodPolicy;
  /** Fully qualified service name, e.g. `shop.v1.UserService`. */
  readonly service: string;
  readonly baseKind: ServiceBaseKind;
}

/**
 * True when a method must only read: it belongs to a ReadOnlyService or is marked read-only.
 * Its handler then gets the read-only database handle.
 */
export function isReadOnlyMethod(baseKind: ServiceBaseKind, policy: MethodPolicy): boolean {
  return baseKind === "read-only" || policy.readOnly;
}

/** Looks up the route of a gRPC path; null for paths outside every method table. */
export type RouteResolver = (path: string) => RouteInfo | null;

/**
 * Per-call record shared by the pipeline's steps and the handler. It exists before auth
 * runs; auth writes the identity into it, so even a refused call's log record is
 * attributed. Lives in the call's context object only — never on a service instance.
 */
export interface CallState {
  readonly route: RouteInfo | null;
  readonly clientAddress: string | null;
  /** The call's deadline (epoch ms), or null. */
  readonly deadline: number | null;
  identity: Identity | null;
  /** Messages received from the client so far (counted as grpc-js receives them). */
  readonly requestMessages: number;
  /** Messages sent to the client so far (counted as they are handed to grpc-js). */
  readonly responseMessages: number;
  /** Rich error details of the failure, kept for the log record. */
  errorDetails: readonly ErrorDetails[] | null;
}

/** Context member holding the call's request id. */
export interface RequestIdExt {
  readonly requestId: string;
}

/** Context member holding the call's {@link CallState}. */
export interface CallStateExt {
  readonly callState: CallState;
}

/** True for the error `AbortSignal`-aware code throws when its signal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
