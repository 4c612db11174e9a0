import { describeDbError } from "../errors.js";
import type { StoreLogger } from "../logger.js";
import type { ApiKeysRepository } from "./api-keys-repository.js";

/**
 * Counts key usage in memory and adds it to the database in batches (every
 * `flushIntervalMs` and on close): one UPDATE per flush instead of one per call, with
 * `request_count = request_count + n` so concurrent instances never lose counts. A failed
 * flush keeps its counts for the next one.
 */
export class UsageCounter {
  readonly #repository: ApiKeysRepository;
  readonly #logger: StoreLogger;
  #pending = new Map<number, { count: number; lastUsedAt: number }>();
  #flushing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(repository: ApiKeysRepository, logger: StoreLogger, flushIntervalMs: number) {
    this.#repository = repository;
    this.#logger = logger;
    this.#timer = setInterval(() => {
      this.flush().catch(() => {});
    }, flushIntervalMs);
    this.#timer.unref();
  }

  /** Notes one use of key `id` at `at` (epoch ms). Synchronous, no I/O, no allocation. */
  record(id: number, at: number): void {
    const entry = this.#pending.get(id);
    if (entry) {
      entry.count += 1;
      if (at > entry.lastUsedAt) entry.lastUsedAt = at;
    } else {
      this.#pending.set(id, { count: 1, lastUsedAt: at });
    }
  }

  /** Writes what has been counted so far; flushes never overlap. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Stops the timer and writes the remaining counts. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    if (this.#pending.size > 0) {
      let calls = 0;
      for (const entry of this.#pending.values()) calls += entry.count;
      this.#logger.error("API key usage not recorded: the database is unreachable", {
        keys: this.#pending.size,
        calls,
      });
    }
  }

  async #flushOnce(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      await this.#repository.addUsage(
        [...batch].map(([id, entry]) => ({
          id,
          count: entry.count,
          lastUsedAt: new Date(entry.lastUsedAt),
        })),
      );
    } catch (error) {
      for (const [id, entry] of batch) {
        const current = this.#pending.get(id);
        if (!current) this.#pending.set(id, entry);
        else {
          current.count += entry.count;
          if (entry.lastUsedAt > current.lastUsedAt) current.lastUsedAt = entry.lastUsedAt;
        }
      }
      this.#logger.warn("could not record API key usage; will retry", {
        keys: batch.size,
        error: describeDbError(error),
      });
    }
  }
}
