import type { CallContext } from "nice-grpc-common";
import { ServerError, Status } from "nice-grpc-common";
import type { AuthResult, Authenticator, Credential, Identity } from "../contracts/identity.js";
import type { MethodPolicy } from "../contracts/method-table.js";
import type { Logger } from "../logging/logger.js";
import { serializeError } from "../logging/logger.js";
import { isThenable } from "../util/is-thenable.js";
import { AuthFailureLimiter } from "./auth-failure-limit.js";
import type { FailureLimitOptions } from "./auth-failure-limit.js";
import type { CallState, RouteInfo } from "./call-state.js";

/** Context extension added by the auth middleware. */
export interface IdentityExt {
  readonly identity: Identity | null;
}

/** Options of {@link createCallAuthenticator}. */
export interface AuthenticationOptions {
  /** Tried in order; the first non-null answer wins. */
  readonly authenticators: readonly Authenticator[];
  /** Metadata key holding an API key. Default `x-api-key`. */
  readonly apiKeyHeader?: string;
  readonly logger: Logger;
  /** Refuses addresses that send too many bad credentials; off when absent or `maxFailures` is 0. */
  readonly failureLimit?: FailureLimitOptions;
}

/**
 * Reads the caller's credential: the API-key header first, else `authorization: Bearer …`.
 * Returns null when neither is present (an empty value counts as absent).
 */
export function readCredential(
  context: Pick<CallContext, "metadata">,
  apiKeyHeader = "x-api-key",
): Credential | null {
  const apiKey = context.metadata.get(apiKeyHeader);
  if (typeof apiKey === "string" && apiKey.trim() !== "") {
    return { source: "api-key", value: apiKey.trim() };
  }
  const authorization = context.metadata.get("authorization");
  if (typeof authorization === "string") {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return { source: "bearer", value: match[1] };
  }
  return null;
}

/** True when the policy needs a caller at all (required, or any role/permission check). */
export function requiresIdentity(policy: MethodPolicy): boolean {
  return (
    policy.auth === "required" ||
    policy.staffOnly ||
    policy.superuserOnly ||
    policy.permission !== null
  );
}

/** Why `identity` may not call a method with `policy`, or null when it may. */
export function authorizationFailure(policy: MethodPolicy, identity: Identity): string | null {
  const user = identity.user;
  if (policy.superuserOnly && !user.isSuperuser) return "Superuser access required";
  if (policy.staffOnly && !user.isStaff && !user.isSuperuser) return "Staff access required";
  if (policy.permission !== null && !user.isSuperuser && !user.permissions.has(policy.permission)) {
    return `Permission "${policy.permission}" required`;
  }
  return null;
}

const UNRECOGNISED: AuthResult = { ok: false, reason: "Unrecognised credential" };

/**
 * The first non-null answer of `authenticators[from…]`. Synchronous as long as the
 * authenticators answer synchronously (a cached API key): no promise on the hot path.
 */
function checkCredential(
  authenticators: readonly Authenticator[],
  credential: Credential,
  from = 0,
): AuthResult | Promise<AuthResult> {
  for (let i = from; i < authenticators.length; i++) {
    const result = (authenticators[i] as Authenticator).authenticate(credential);
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (answer) => answer ?? checkCredential(authenticators, credential, i + 1),
      );
    }
    if (result !== null) return result;
  }
  return UNRECOGNISED;
}

/** Decides who is calling; see {@link createCallAuthenticator}. */
export type CallAuthenticator = (
  route: RouteInfo,
  context: Pick<CallContext, "metadata">,
  path: string,
  requestId: string,
  state: CallState,
) => Identity | null | Promise<Identity | null>;

/**
 * Authentication and authorization from the method's effective policy (looked up by path
 * in the generated tables):
 *
 * - `public`: a sent credential is checked so the log is attributed; a bad one, or one that
 *   cannot be checked (the auth backend is down), is ignored and the call proceeds
 *   anonymously (public means nobody is refused).
 * - `optional`: anonymous calls proceed; a sent credential must be valid (UNAUTHENTICATED
 *   with the reason otherwise) — a client that sends a key expects to act as its user.
 * - `required` (and any staff/superuser/permission requirement): UNAUTHENTICATED without a
 *   valid credential; PERMISSION_DENIED when the role or permission is missing.
 * - Inactive users are refused like bad credentials. Paths outside every table (health,
 *   reflection, unknown) are never checked: the pipeline does not call this for them.
 *
 * Returns the identity (null: anonymous) — a promise of it only when an authenticator answers
 * asynchronously — or throws (rejects with) the ServerError to send. The
 * identity goes into the call state before authorization, so a refused call is still
 * attributed in the log.
 */
export function createCallAuthenticator(options: AuthenticationOptions): CallAuthenticator {
  const { authenticators, logger } = options;
  const limit = options.failureLimit;
  const limiter =
    limit !== undefined && limit.maxFailures > 0 ? new AuthFailureLimiter(limit, logger) : null;
  const blockedMessage = "Too many failed authentication attempts from this address; retry later";
  const header = (options.apiKeyHeader ?? "x-api-key").toLowerCase();
  const missingMessage = `Authentication required: send an API key in the "${header}" header or "authorization: Bearer <token>"`;
  const backendFailed = (error: unknown, requestId: string, path: string): ServerError => {
    // A status the authenticator chose (e.g. UNAVAILABLE while it sheds load) is its answer,
    // not a failure: sent as it is, and not logged per call.
    if (error instanceof ServerError) return error;
    logger.error("authenticator failed", { requestId, path, error: serializeError(error) });
    return new ServerError(Status.UNAVAILABLE, "Authentication backend unavailable");
  };
  const decide = (
    policy: MethodPolicy,
    result: AuthResult | null,
    state: CallState,
  ): Identity | null => {
    const needsIdentity = requiresIdentity(policy);
    let identity: Identity | null = null;
    if (result !== null) {
      if (result.ok && !result.identity.user.isActive) {
        result = { ok: false, reason: "User account is inactive" };
      }
      if (result.ok) {
        identity = result.identity;
        state.identity = identity;
      } else {
        limiter?.fail(state.clientAddress);
        if (policy.auth !== "public" || needsIdentity) {
          throw new ServerError(Status.UNAUTHENTICATED, `Invalid credential: ${result.reason}`);
        }
      }
    }
    if (identity === null && needsIdentity) {
      throw new ServerError(Status.UNAUTHENTICATED, missingMessage);
    }
    if (identity !== null) {
      const denied = authorizationFailure(policy, identity);
      if (denied !== null) throw new ServerError(Status.PERMISSION_DENIED, denied);
    }
    return identity;
  };
  return function authenticateCall(route, context, path, requestId, state) {
    const policy = route.policy;
    const credential = readCredential(context, header);
    if (credential === null) return decide(policy, null, state);
    if (limiter !== null && limiter.blocking !== 0 && limiter.isBlocked(state.clientAddress)) {
      // Not checked at all: that is the cost the block saves. Public refuses nobody.
      if (policy.auth === "public" && !requiresIdentity(policy)) return decide(policy, null, state);
      throw new ServerError(Status.RESOURCE_EXHAUSTED, blockedMessage);
    }
    const failed = (error: unknown): Identity | null => {
      const failure = backendFailed(error, requestId, path);
      // Public refuses nobody: a credential that cannot be checked now counts as none sent,
      // as a bad one does, rather than taking the method down with the auth backend.
      if (policy.auth === "public" && !requiresIdentity(policy)) return decide(policy, null, state);
      throw failure;
    };
    let result: AuthResult | Promise<AuthResult>;
    try {
      result = checkCredential(authenticators, credential);
    } catch (error) {
      return failed(error);
    }
    if (!isThenable(result)) return decide(policy, result, state);
    return result.then((answer) => decide(policy, answer, state), failed);
  };
}
