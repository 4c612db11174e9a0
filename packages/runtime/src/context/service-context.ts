import type { CallContext } from "nice-grpc-common";
import type { Database } from "../contracts/database.js";
import type { ApiKeyInfo, Identity, User } from "../contracts/identity.js";
import type { MethodPolicy } from "../contracts/method-table.js";
import type { Logger } from "../logging/logger.js";

/**
 * What the runtime adds to nice-grpc's CallContext for every call. A fresh object per call:
 * nothing per-request is ever stored on the (shared) service instance.
 */
export interface ServiceContextExt {
  /** The caller, or null for anonymous calls. */
  readonly user: User | null;
  /** The API key the call was made with (never the secret), or null. */
  readonly apiKey: ApiKeyInfo | null;
  /** The resolved identity (user + key + auth method), or null for anonymous calls. */
  readonly identity: Identity | null;
  /** Id of this call: the client's sane `x-request-id`, else a fresh UUID. Echoed in headers. */
  readonly requestId: string;
  /**
   * The database. For a ReadOnlyService, and for methods marked read-only, this is the
   * provider's read-only handle: writes fail with FAILED_PRECONDITION. Throws a clear error
   * when the server runs without a database.
   */
  readonly db: Database;
  /** Server-side logger bound to this call's request id. */
  readonly log: Logger;
  /** The effective policy of the method being called, or null for paths outside the tables. */
  readonly methodPolicy: MethodPolicy | null;
  /** Client address (`ip`, without port), honouring trusted proxies' `x-forwarded-for`. */
  readonly clientAddress: string | null;
}

/** Per-call context a handler receives: nice-grpc's CallContext (incl. `signal`) + ours. */
export type ServiceContext = CallContext & ServiceContextExt;

/** {@link ServiceContextExt} of a call that passed authentication. */
export type AuthenticatedContextExt = ServiceContextExt & {
  readonly user: User;
  readonly identity: Identity;
};

/**
 * Context of a call that passed authentication: `user` and `identity` are present. Handlers
 * of an AuthRequiredService receive this (the auth middleware refuses anonymous calls).
 */
export type AuthenticatedContext = CallContext & AuthenticatedContextExt;
