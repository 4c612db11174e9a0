/** A user as the runtime sees it: who a call acts for. */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly isActive: boolean;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
  /** Permission codenames, e.g. `orders.create_order`. Superusers pass every check regardless. */
  readonly permissions: ReadonlySet<string>;
}

/** How a caller proved who they are. */
export type AuthMethod = "api-key" | "secret-key" | "jwt";

/** The API key a call was made with (never the secret itself). */
export interface ApiKeyInfo {
  readonly id: number;
  readonly name: string;
  /** Short, non-secret prefix for display, e.g. `gcfg_AbC1`. */
  readonly displayPrefix: string;
  readonly userId: number;
}

/** A resolved caller. */
export interface Identity {
  readonly user: User;
  /** Null for the dev secret key and for JWTs. */
  readonly apiKey: ApiKeyInfo | null;
  readonly method: AuthMethod;
}

/** A credential as read from request metadata. */
export interface Credential {
  /** `api-key`: the configured header (default `x-api-key`); `bearer`: `authorization: Bearer …`. */
  readonly source: "api-key" | "bearer";
  readonly value: string;
}

/** Outcome of checking one credential. `reason` is safe to show the client (it never echoes the secret). */
export type AuthResult =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly reason: string };

/**
 * Resolves credentials to identities. Implementations: the store's API-key authenticator,
 * the JWT authenticator, and {@link InMemoryAuthenticator} for tests.
 */
export interface Authenticator {
  /**
   * Checks a credential. Returns null when this authenticator does not handle credentials of
   * this shape (the next authenticator is tried); a failed result when it does and the
   * credential is bad. Must not throw for bad credentials; may throw (or reject) when its
   * backend fails — the call then gets UNAVAILABLE and the error is logged — or with a
   * nice-grpc `ServerError` to answer the call with that status itself (not logged; e.g.
   * UNAVAILABLE when it refuses work under overload). May answer synchronously — a cached
   * key — which spares the hot path a promise per call.
   */
  authenticate(credential: Credential): AuthResult | null | Promise<AuthResult | null>;
}
