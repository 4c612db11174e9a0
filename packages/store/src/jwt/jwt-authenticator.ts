import { readFileSync } from "node:fs";
import type { AuthResult, Authenticator, Credential, User } from "@grpc-cfg/runtime";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from "jose";
import { KEY_PREFIX } from "../api-keys/key-format.js";
import { TtlCache } from "../api-keys/ttl-cache.js";
import type { ChangeFeed } from "../change-feed.js";
import { StoreError } from "../errors.js";
import { toRuntimeUser, type UsersRepository } from "../users/users-repository.js";

/**
 * Options of {@link JwtAuthenticator}. Give exactly one key source: `secret` (HMAC, HS256/
 * 384/512), `jwksUrl` (fetched and cached by jose) or `jwksFile` (a local JWKS JSON file).
 */
export interface JwtAuthenticatorOptions {
  readonly secret?: string;
  readonly jwksUrl?: string;
  readonly jwksFile?: string;
  /** Required `iss` value(s), when set. */
  readonly issuer?: string | readonly string[];
  /** Required `aud` value(s), when set. */
  readonly audience?: string | readonly string[];
  /** Claim naming the user (default `sub`). */
  readonly userClaim?: string;
  /**
   * How the claim value finds the user: `id` (users.id), `username`, or `auto` (default):
   * a JSON number or an all-digit string is an id, anything else a username (usernames are
   * never all digits, so the two cannot be confused).
   */
  readonly userLookup?: "auto" | "id" | "username";
  /** Allowed clock skew for exp/nbf in seconds (default 5). */
  readonly clockToleranceSeconds?: number;
  /** Refuse tokens without `exp` (default true). */
  readonly requireExpiry?: boolean;
  /** How long a resolved user is cached (default 30 000 ms); user changes drop it at once. */
  readonly userCacheTtlMs?: number;
  /**
   * How long a claim that names no user is remembered (default 5 000 ms, at most
   * `userCacheTtlMs`); creating a user drops it at once.
   */
  readonly unknownUserCacheTtlMs?: number;
}

const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"];
const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
];

/**
 * Verifies `authorization: Bearer <JWT>` tokens (signature, expiry, issuer, audience) and
 * maps the configured claim to a user row. Returns null for anything that is not a Bearer
 * token or is an API key (`gcfg_…`), so the API-key authenticator handles those.
 */
export class JwtAuthenticator implements Authenticator {
  readonly #key: Uint8Array | JWTVerifyGetKey;
  readonly #algorithms: string[];
  readonly #options: JwtAuthenticatorOptions;
  readonly #users: UsersRepository;
  readonly #userCache = new TtlCache<string, User | null>(10_000);
  readonly #feed: ChangeFeed;
  readonly #unsubscribe: () => void;
  /** Bumped by every user change, so a lookup that raced one is not cached. */
  #generation = 0;

  constructor(users: UsersRepository, feed: ChangeFeed, options: JwtAuthenticatorOptions) {
    const sources = [options.secret, options.jwksUrl, options.jwksFile].filter(
      (value) => value !== undefined,
    );
    if (sources.length !== 1) {
      throw new StoreError(
        "misconfigured",
        "JWT auth needs exactly one of auth.jwt.secret, jwksUrl or jwksFile",
      );
    }
    if (options.secret !== undefined) {
      if (options.secret.length < 32) {
        throw new StoreError(
          "misconfigured",
          "auth.jwt.secret must be at least 32 characters (HS256 needs 256 bits)",
        );
      }
      this.#key = new TextEncoder().encode(options.secret);
      this.#algorithms = HMAC_ALGORITHMS;
    } else if (options.jwksUrl !== undefined) {
      this.#key = createRemoteJWKSet(checkedJwksUrl(options.jwksUrl));
      this.#algorithms = ASYMMETRIC_ALGORITHMS;
    } else {
      this.#key = createLocalJWKSet(readJwksFile(options.jwksFile ?? ""));
      this.#algorithms = ASYMMETRIC_ALGORITHMS;
    }
    this.#options = options;
    this.#users = users;
    this.#feed = feed;
    this.#unsubscribe = feed.subscribe(() => {
      this.#generation += 1;
      this.#userCache.clear();
    });
  }

  /** Verifies a Bearer JWT; null when the credential is not one. */
  async authenticate(credential: Credential): Promise<AuthResult | null> {
    if (credential.source !== "bearer" || credential.value.startsWith(KEY_PREFIX)) return null;
    let payload: JWTPayload;
    try {
      const token = credential.value.trim();
      const { issuer, audience } = this.#options;
      const tolerance = this.#options.clockToleranceSeconds ?? 5;
      const checks: JWTVerifyOptions = {
        algorithms: this.#algorithms,
        issuer: typeof issuer === "string" || issuer === undefined ? issuer : [...issuer],
        audience: typeof audience === "string" || audience === undefined ? audience : [...audience],
        clockTolerance: tolerance,
        requiredClaims: this.#options.requireExpiry === false ? [] : ["exp"],
      };
      const key = this.#key;
      const verified =
        typeof key === "function"
          ? await jwtVerify(token, key, checks)
          : await jwtVerify(token, key, checks);
      payload = verified.payload;
      // jose checks `iat` only against a maximum token age, so a token "issued" in the future
      // (a signer with a skewed or tampered clock) would pass; refuse it like a future `nbf`.
      if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + tolerance) {
        return { ok: false, reason: ISSUED_IN_FUTURE };
      }
    } catch (error) {
      const reason = rejectionReason(error);
      if (reason === null) throw error;
      // The dev secret key sent as a bearer token (API keys are taken there too) is the usual
      // cause of a token that is not even three dot-separated parts: say where it goes.
      if (reason === MALFORMED && credential.value.trim().split(".").length !== 3) {
        return { ok: false, reason: `${MALFORMED} (not a JWT; ${KEYS_GO_IN_HEADER})` };
      }
      return { ok: false, reason };
    }
    const claim = this.#options.userClaim ?? "sub";
    const value = payload[claim];
    if (typeof value !== "string" && typeof value !== "number") {
      return { ok: false, reason: `token has no usable "${claim}" claim` };
    }
    const user = await this.#resolveUser(value);
    if (!user) return { ok: false, reason: `token "${claim}" does not name a known user` };
    if (!user.isActive) return { ok: false, reason: "user is inactive" };
    return { ok: true, identity: { user, apiKey: null, method: "jwt" } };
  }

  /** Stops listening for user changes. */
  close(): void {
    this.#unsubscribe();
  }

  async #resolveUser(value: string | number): Promise<User | null> {
    const cacheKey = `${typeof value}:${value}`;
    const now = Date.now();
    const cached = this.#userCache.get(cacheKey, now);
    if (cached !== undefined) return cached;
    // Listen before reading, so no deactivation can fall between our read and our
    // subscription (until now only an API-key lookup started listening: a server that saw
    // only JWTs never heard of user changes and served cached users for userCacheTtlMs).
    await this.#feed.ensureListening();
    const generation = this.#generation;
    const lookup = this.#options.userLookup ?? "auto";
    const byId =
      lookup === "id" || (lookup === "auto" && (typeof value === "number" || /^\d+$/.test(value)));
    let record = null;
    if (byId) {
      const id = Number(value);
      // Past users.id's range this names no user (the repository checks).
      record = await this.#users.find(id);
    } else {
      record = await this.#users
        .find(String(value))
        .then((found) => (found?.username === String(value) ? found : null));
    }
    const user = record ? toRuntimeUser(record) : null;
    if (generation === this.#generation) {
      const ttlMs = this.#options.userCacheTtlMs ?? 30_000;
      const unknownTtlMs = Math.min(this.#options.unknownUserCacheTtlMs ?? 5_000, ttlMs);
      this.#userCache.set(cacheKey, user, user ? ttlMs : unknownTtlMs, now);
    }
    return user;
  }
}

const MALFORMED = "malformed token";
const ISSUED_IN_FUTURE = 'token claim "iat" is not accepted (issued in the future)';
const KEYS_GO_IN_HEADER = "the dev secret key goes in the x-api-key header";

/** Client-safe reason for a bad token, or null when the failure is ours (e.g. JWKS fetch). */
function rejectionReason(error: unknown): string | null {
  if (error instanceof errors.JWTExpired) return "token expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `token claim "${error.claim}" ${error.reason === "missing" ? "is missing" : "is not accepted"}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token signature is invalid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "token algorithm is not allowed";
  if (error instanceof errors.JWKSNoMatchingKey) return "token was not signed by a known key";
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return MALFORMED;
  }
  return null;
}

/** Hosts a plain-http JWKS may come from: nobody on the network can reach the request. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The JWKS URL, refused when plain http crosses a network: whoever can alter that response
 * (anyone on the path) can add a key of their own and mint tokens for any user, superusers
 * included. Plain http is kept for a JWKS served on the same host.
 */
function checkedJwksUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreError("misconfigured", `jwksUrl is not a URL: ${text}`);
  }
  if (url.protocol === "https:") return url;
  if (
    url.protocol === "http:" &&
    (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith("127."))
  ) {
    return url;
  }
  throw new StoreError(
    "misconfigured",
    `jwksUrl must use https (plain http only on this host: localhost, 127.0.0.1, [::1]), got ${url.protocol}//${url.host}`,
  );
}

function readJwksFile(path: string): JSONWebKeySet {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as JSONWebKeySet;
    if (!Array.isArray(parsed.keys)) throw new Error('no "keys" array');
    return parsed;
  } catch (error) {
    throw new StoreError(
      "misconfigured",
      `cannot read JWKS file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
