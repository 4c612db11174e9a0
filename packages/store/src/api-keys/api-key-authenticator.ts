import type { AuthResult, Authenticator, Credential, Identity, User } from "@grpc-cfg/runtime";
import { ServerError, Status } from "nice-grpc-common";
import type { ChangeFeed, ChangeEvent } from "../change-feed.js";
import type { StoreLogger } from "../logger.js";
import { toRuntimeUser, type UsersRepository } from "../users/users-repository.js";
import type { ApiKeysRepository, KeyLookup } from "./api-keys-repository.js";
import {
  hashKey,
  hasKeyShape,
  isWellFormedKey,
  KEY_PREFIX,
  malformedKeyReason,
} from "./key-format.js";
import { SecretKeyMatcher, type SecretKeyOptions } from "./secret-key.js";
import { BoundedLookups } from "./bounded-lookups.js";
import { RecentKeyHashes } from "./recent-key-hashes.js";
import { TtlCache } from "./ttl-cache.js";
import { UsageCounter } from "./usage-counter.js";

/** Options of {@link ApiKeyAuthenticator}; every field has a default. */
export interface ApiKeyAuthenticatorOptions {
  /** How long a looked-up key is trusted without asking the database (default 30 000). */
  readonly cacheTtlMs?: number;
  /** How long an unknown key is remembered as unknown (default 5 000, capped at cacheTtlMs). */
  readonly negativeCacheTtlMs?: number;
  /** Cache size bound (default 10 000 keys), for known keys and unknown keys each. */
  readonly maxCacheEntries?: number;
  /**
   * Database lookups of uncached keys running at once (default 4). Keys nobody has seen are
   * the one thing a client can make the server look up at will — well-formed keys are easy to
   * mint, the checksum is public — so they get a bounded share of the connection pool and
   * cannot starve handlers of it.
   */
  readonly maxConcurrentLookups?: number;
  /**
   * Lookups waiting for one of those slots (default 1 024); past that a call with an uncached
   * key is answered UNAVAILABLE (retryable) instead of queueing without bound.
   */
  readonly maxQueuedLookups?: number;
  /** How often usage counters are written (default 1 000). */
  readonly usageFlushIntervalMs?: number;
  /** The dev secret key; off by default and refused when NODE_ENV is production. */
  readonly secretKey?: SecretKeyOptions;
  /** Defaults to `process.env.NODE_ENV`. */
  readonly nodeEnv?: string;
}

/** Counters for tests and metrics. */
export interface ApiKeyAuthenticatorStats {
  readonly cacheHits: number;
  readonly lookups: number;
  /** Known keys in the cache (unknown keys are remembered apart, see `maxCacheEntries`). */
  readonly cachedKeys: number;
  /** Calls refused UNAVAILABLE because too many lookups were running and waiting. */
  readonly shedLookups: number;
}

/** How often, at most, shed lookups are reported in the log (with their count). */
const SHED_WARN_INTERVAL_MS = 10_000;

/**
 * How long a key found in the database keeps its place at the front of the lookup queue
 * after it was last loaded (at least this, or ten cache lifetimes when longer).
 */
const SEEN_MIN_TTL_MS = 60 * 60_000;

/**
 * Resolves `gcfg_…` API keys (from the API-key header, or a Bearer token that starts with
 * `gcfg_`) and, when enabled, the dev secret key. Hot path: shape check, SHA-256 (both
 * skipped for a key that authenticated a moment ago, see {@link RecentKeyHashes}), cache
 * lookup; on a miss the checksum is checked (malformed keys never reach the database) and
 * one query, shared by concurrent callers of the same key, loads it — at most
 * `maxConcurrentLookups` at a time, the rest waiting in a bounded queue. Unknown keys are
 * cached apart from known ones, so a flood of made-up keys cannot evict the real ones; and a
 * key found before (its cache entry expired or was invalidated) is looked up again ahead of
 * that queue and never shed, so such a flood cannot lock out the clients already working.
 * Revocations and user changes drop cached entries at once here and, through LISTEN/NOTIFY,
 * on every other instance sharing the database.
 */
export class ApiKeyAuthenticator implements Authenticator {
  readonly #keys: ApiKeysRepository;
  readonly #users: UsersRepository;
  readonly #feed: ChangeFeed;
  readonly #usage: UsageCounter;
  readonly #secret: SecretKeyMatcher | null;
  readonly #logger: StoreLogger;
  readonly #known: TtlCache<string, KeyLookup>;
  readonly #unknown: TtlCache<string, true>;
  /** Hashes the database had, kept past the cache's TTL: their re-lookups go first. */
  readonly #seen: TtlCache<string, true>;
  readonly #seenTtlMs: number;
  readonly #pending: BoundedLookups<string, KeyLookup | null>;
  #shed = 0;
  #shedReported = 0;
  #lastShedWarning = 0;
  readonly #identities = new WeakMap<KeyLookup, Identity>();
  readonly #recent = new RecentKeyHashes();
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #unsubscribe: () => void;
  /** Bumped on every invalidation, so a lookup that raced one is not cached. */
  #generation = 0;
  #devUser: User | null = null;
  #hits = 0;
  #lookups = 0;

  constructor(
    keys: ApiKeysRepository,
    users: UsersRepository,
    feed: ChangeFeed,
    logger: StoreLogger,
    options: ApiKeyAuthenticatorOptions = {},
  ) {
    this.#secret = SecretKeyMatcher.create(
      options.secretKey,
      options.nodeEnv ?? process.env.NODE_ENV,
    );
    this.#keys = keys;
    this.#users = users;
    this.#feed = feed;
    this.#ttlMs = options.cacheTtlMs ?? 30_000;
    this.#negativeTtlMs = Math.min(options.negativeCacheTtlMs ?? 5_000, this.#ttlMs);
    this.#logger = logger;
    this.#known = new TtlCache(options.maxCacheEntries ?? 10_000);
    this.#unknown = new TtlCache(options.maxCacheEntries ?? 10_000);
    this.#seen = new TtlCache(options.maxCacheEntries ?? 10_000);
    this.#seenTtlMs = Math.max(SEEN_MIN_TTL_MS, this.#ttlMs * 10);
    this.#pending = new BoundedLookups(
      options.maxConcurrentLookups ?? 4,
      options.maxQueuedLookups ?? 1_024,
    );
    this.#usage = new UsageCounter(keys, logger, options.usageFlushIntervalMs ?? 1_000);
    this.#unsubscribe = feed.subscribe((event) => this.#invalidate(event));
  }

  /**
   * Checks one credential; null for Bearer tokens that are not API keys (JWTs). Answers
   * synchronously for a cached key and for a malformed one; a promise only when the database
   * has to be asked (or for the dev secret key's user).
   */
  authenticate(credential: Credential): AuthResult | null | Promise<AuthResult | null> {
    const value = credential.value.trim();
    if (credential.source === "bearer" && !value.startsWith(KEY_PREFIX)) return null;
    if (this.#secret && credential.source === "api-key" && this.#secret.matches(value)) {
      return this.#devIdentityUser().then((user) =>
        user.isActive
          ? { ok: true, identity: { user, apiKey: null, method: "secret-key" } }
          : { ok: false, reason: "user is inactive" },
      );
    }
    const now = Date.now();
    // Hash first and try the cache: a cached hash belongs to a key whose checksum was
    // verified before it was loaded, so known keys skip the checksum's second SHA-256. A key
    // that authenticated a moment ago skips the shape check and the hash as well.
    let hash = this.#recent.get(value);
    const remembered = hash !== undefined;
    if (hash === undefined) {
      if (!hasKeyShape(value)) return { ok: false, reason: malformedKeyReason(value) };
      hash = hashKey(value);
    }
    const cached = this.#cached(hash, now);
    if (cached !== undefined) {
      const verdict = this.#verdict(cached, now);
      if (verdict.ok && !remembered) this.#recent.remember(value, hash);
      return verdict;
    }
    if (!isWellFormedKey(value)) return { ok: false, reason: malformedKeyReason(value) };
    return this.#lookup(hash).then((key) => this.#verdict(key, Date.now()));
  }

  #verdict(key: KeyLookup | null, now: number): AuthResult {
    if (!key) return { ok: false, reason: "unknown API key" };
    if (key.revokedAt) return { ok: false, reason: "API key revoked" };
    if (key.expiresAt && key.expiresAt.getTime() <= now)
      return { ok: false, reason: "API key expired" };
    if (!key.user.isActive) return { ok: false, reason: "API key owner is inactive" };
    this.#usage.record(key.id, now);
    return { ok: true, identity: this.#identityOf(key) };
  }

  /** Writes the usage counted so far (request_count, last_used_at). */
  flushUsage(): Promise<void> {
    return this.#usage.flush();
  }

  /** Cache figures. */
  stats(): ApiKeyAuthenticatorStats {
    return {
      cacheHits: this.#hits,
      lookups: this.#lookups,
      cachedKeys: this.#known.size,
      shedLookups: this.#shed,
    };
  }

  /** Flushes usage and stops listening for invalidations. */
  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#usage.close();
  }

  /** The cached lookup of `hash` (null: known unknown), or undefined on a miss. */
  #cached(hash: string, now: number): KeyLookup | null | undefined {
    const known = this.#known.get(hash, now);
    if (known !== undefined) {
      this.#hits += 1;
      return known;
    }
    if (this.#unknown.get(hash, now) === undefined) return undefined;
    this.#hits += 1;
    return null;
  }

  /**
   * Loads `hash` from the database; concurrent callers of the same key share one query.
   * Rejects with UNAVAILABLE when every lookup slot is taken and the queue is full — unless
   * the key was found before: then it waits ahead of the queue (see {@link BoundedLookups}).
   */
  #lookup(hash: string): Promise<KeyLookup | null> {
    const seen = this.#seen.get(hash, Date.now()) !== undefined;
    return this.#pending.run(hash, () => this.#load(hash), seen) ?? Promise.reject(this.#refuse());
  }

  #refuse(): ServerError {
    this.#shed += 1;
    const now = Date.now();
    if (now - this.#lastShedWarning >= SHED_WARN_INTERVAL_MS) {
      this.#logger.warn("API-key lookups shed: too many uncached keys at once", {
        shed: this.#shed - this.#shedReported,
        running: this.#pending.running,
        waiting: this.#pending.waiting,
      });
      this.#shedReported = this.#shed;
      this.#lastShedWarning = now;
    }
    return new ServerError(
      Status.UNAVAILABLE,
      "Too many API keys are being checked at once; retry shortly",
    );
  }

  /**
   * The identity of a looked-up key, built once per cached lookup rather than per call (a
   * reload or invalidation brings a new lookup object, hence a new identity). Frozen because
   * every call made with the key shares it.
   */
  #identityOf(key: KeyLookup): Identity {
    let identity = this.#identities.get(key);
    if (!identity) {
      identity = Object.freeze({
        user: Object.freeze(toRuntimeUser(key.user)),
        apiKey: Object.freeze({
          id: key.id,
          name: key.name,
          displayPrefix: key.displayPrefix,
          userId: key.user.id,
        }),
        method: "api-key" as const,
      });
      this.#identities.set(key, identity);
    }
    return identity;
  }

  async #load(hash: string): Promise<KeyLookup | null> {
    // Listen before reading, so no revocation can fall between our read and our subscription.
    await this.#feed.ensureListening();
    const generation = this.#generation;
    this.#lookups += 1;
    const found = await this.#keys.lookupByHash(hash);
    // Only the database can put a hash here, so made-up keys never get the front of the queue.
    if (found) this.#seen.set(hash, true, this.#seenTtlMs, Date.now());
    if (generation === this.#generation) {
      if (found) this.#known.set(hash, found, this.#ttlMs, Date.now());
      else this.#unknown.set(hash, true, this.#negativeTtlMs, Date.now());
    }
    return found;
  }

  /**
   * The dev secret key's user as its row now is, created as a superuser on first use. The row
   * is never re-flagged: deactivating it cuts the secret key off and demoting it leaves the key
   * with only what the row grants — on every instance, through the same invalidation as keys.
   */
  async #devIdentityUser(): Promise<User> {
    if (this.#devUser) return this.#devUser;
    // Listen before reading, so a deactivation cannot fall between our read and our subscription.
    await this.#feed.ensureListening();
    const generation = this.#generation;
    const record = await this.#users.ensure({
      username: this.#secret?.username ?? "grpc-cfg-dev",
      isStaff: true,
      isSuperuser: true,
    });
    const user = Object.freeze(toRuntimeUser(record));
    // A change that raced the read may not be in `record`: use it for this call only.
    if (generation === this.#generation) this.#devUser = user;
    return user;
  }

  #invalidate(event: ChangeEvent): void {
    this.#generation += 1;
    if (event.type === "reset") {
      this.#known.clear();
      this.#unknown.clear();
      this.#devUser = null;
    } else if (event.type === "api-key") {
      this.#known.deleteWhere((entry) => entry.id === event.id);
    } else {
      this.#known.deleteWhere((entry) => entry.user.id === event.id);
      if (this.#devUser?.id === event.id) this.#devUser = null;
    }
  }
}
