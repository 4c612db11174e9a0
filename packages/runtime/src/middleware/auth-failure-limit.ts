import type { Logger } from "../logging/logger.js";

/**
 * Per-address limit on failed credentials (config `auth.failureLimit`). An address (the
 * client's, through `logging.trustedProxies`) that sends `maxFailures` credentials that fail
 * within `windowMs` has its credentials refused unchecked for `blockMs`: RESOURCE_EXHAUSTED,
 * or anonymous on public methods. Loopback addresses are never limited (local tools and tests;
 * a proxy on the same host should set `trustedProxies` or do its own limiting).
 */
export interface FailureLimitOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
}

/** Addresses tracked at most; past that the oldest entry is forgotten. */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Counts failed credentials per address and blocks those over the limit. Every credential
 * that is not an API key the cache knows costs a database lookup or a signature check, and
 * anyone can mint well-formed keys: one address must not keep the lookup slots busy.
 */
export class AuthFailureLimiter {
  readonly #entries = new Map<string, { failures: number; windowEnd: number; blocked: boolean }>();
  readonly #options: FailureLimitOptions;
  readonly #logger: Logger;
  /** Blocks in force; zero on a healthy server, so a call pays one field read. */
  blocking = 0;

  constructor(options: FailureLimitOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
  }

  /** True when `address` is blocked now (check {@link blocking} first; it is cheaper). */
  isBlocked(address: string | null): boolean {
    return address !== null && this.#entries.get(address)?.blocked === true;
  }

  /** Counts one failed credential from `address`; starts a block at the limit. */
  fail(address: string | null): void {
    if (address === null || isLoopback(address)) return;
    const now = Date.now();
    let entry = this.#entries.get(address);
    if (entry?.blocked) return;
    if (entry === undefined || entry.windowEnd <= now) {
      if (entry === undefined && this.#entries.size >= MAX_TRACKED_ADDRESSES) this.#forgetOldest();
      entry = { failures: 0, windowEnd: now + this.#options.windowMs, blocked: false };
      this.#entries.delete(address);
      this.#entries.set(address, entry);
    }
    entry.failures += 1;
    if (entry.failures < this.#options.maxFailures) return;
    entry.blocked = true;
    this.blocking += 1;
    const blocked = entry;
    setTimeout(() => {
      this.blocking -= 1;
      if (this.#entries.get(address) === blocked) this.#entries.delete(address);
    }, this.#options.blockMs).unref();
    this.#logger.warn("authentication failures: address blocked", {
      clientAddress: address,
      failures: entry.failures,
      windowMs: this.#options.windowMs,
      blockMs: this.#options.blockMs,
    });
  }

  #forgetOldest(): void {
    // A blocked entry is dropped only by its timer (which keeps `blocking` right).
    for (const [address, entry] of this.#entries) {
      if (!entry.blocked) {
        this.#entries.delete(address);
        return;
      }
    }
  }
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");
}
