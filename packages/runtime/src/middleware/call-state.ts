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

/** Looks up the route of a gRPC path; null for paths outside every method table. */
export type RouteResolver = (path: string) => RouteInfo | null;

/**
 * Mutable per-call record shared down the middleware chain. The logging middleware creates
 * it before auth runs; auth writes the identity into it, so the log record is attributed
 * even though the logger sits outside auth. Lives in the call's context object only — never
 * on a service instance.
 */
export interface CallState {
  readonly route: RouteInfo | null;
  readonly clientAddress: string | null;
  /** The call's deadline (epoch ms), or null. */
  readonly deadline: number | null;
  identity: Identity | null;
  /** Messages received from the client so far. */
  requestMessages: number;
  /** Messages sent to the client so far. */
  responseMessages: number;
  /** Rich error details of the failure, kept for the log record. */
  errorDetails: readonly ErrorDetails[] | null;
}

/** Context extension added by the request-id middleware. */
export interface RequestIdExt {
  readonly requestId: string;
}

/** Context extension added by the logging middleware. */
export interface CallStateExt {
  readonly callState: CallState;
}

/** True for the error `AbortSignal`-aware code throws when its signal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
