import type { RequestLogRecord, RequestLogSink, RequestLogSinkStats } from "@grpc-cfg/runtime";
import { describeDbError, sqlState, StoreError } from "../errors.js";
import type { StoreLogger } from "../logger.js";
import { BoundedQueue } from "./bounded-queue.js";
import { encodeLogRow, type EncodedLogRow } from "./log-rows.js";
import type { RequestLogsRepository } from "./request-logs-repository.js";

/**
 * Most rows one INSERT carries (`logging.batchSize` has the same maximum). The batch travels
 * as one jsonb parameter, and PostgreSQL refuses a jsonb value over 256 MB: a record is
 * usually a few hundred bytes, but one with a long error can reach ~60 KB (the message is cut
 * at 10 000 characters, the details at 50 000), and 2 000 of those still fit. It also bounds
 * how long one insert's transaction lasts and the cost of a refused batch, which is retried
 * one row at a time.
 */
export const MAX_LOG_BATCH_SIZE = 2_000;

/** Options of {@link DatabaseRequestLogSink}; every field has a default. */
export interface RequestLogSinkOptions {
  /** Rows per INSERT; a full batch is written at once (default 500, at most {@link MAX_LOG_BATCH_SIZE}). */
  readonly batchSize?: number;
  /** A partial batch waits at most this long (default 1 000 ms). */
  readonly flushIntervalMs?: number;
  /** Records kept while the database is slow or down; beyond it the oldest are dropped (default 50 000). */
  readonly maxQueue?: number;
  /** Server instance id stored on every row. */
  readonly instanceId?: string | null;
  /** Retry delays while the database is down: doubling from `initialRetryMs` (default 100) to `maxRetryMs` (default 30 000). */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
  /** How long `close()` keeps trying to write what is left (default 10 000 ms). */
  readonly closeTimeoutMs?: number;
  /** When set, rows older than this many days are pruned at start and every `pruneIntervalMs`. */
  readonly retentionDays?: number;
  /** Default: one day. */
  readonly pruneIntervalMs?: number;
}

/**
 * A {@link RequestLogSink} writing to the request_logs table off the hot path. `write` only
 * copies the record into a bounded in-memory queue; batches go out as multi-row INSERTs when
 * full or every `flushIntervalMs`. While the database is down, batches are retried with
 * exponential backoff and `write` keeps returning at once; if the queue fills, the oldest
 * records are dropped and counted. A record PostgreSQL refuses for its values is isolated
 * and dropped so it cannot block the rest; any other database error is retried.
 */
export class DatabaseRequestLogSink implements RequestLogSink {
  readonly #repository: RequestLogsRepository;
  readonly #logger: StoreLogger;
  readonly #queue: BoundedQueue<EncodedLogRow>;
  readonly #batchSize: number;
  /**
   * Records taken from the queue for the insert under way: still unwritten, so `stats()`
   * counts them as queued (a retry against a dead database would otherwise read as an empty
   * queue for as long as its connection attempt lasts).
   */
  #inFlight = 0;
  readonly #instanceId: string | null;
  readonly #initialRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #closeTimeoutMs: number;
  readonly #timers: NodeJS.Timeout[] = [];
  #accepted = 0;
  #written = 0;
  #dropped = 0;
  #pumping: Promise<void> | null = null;
  #drainRequested = false;
  #waiters: { target: number; resolve: () => void }[] = [];
  #wakeRetry: (() => void) | null = null;
  #closing = false;
  #closed = false;
  #lastDropWarning = 0;

  constructor(
    repository: RequestLogsRepository,
    logger: StoreLogger,
    options: RequestLogSinkOptions = {},
  ) {
    this.#repository = repository;
    this.#logger = logger;
    this.#batchSize = Math.min(Math.max(1, options.batchSize ?? 500), MAX_LOG_BATCH_SIZE);
    this.#queue = new BoundedQueue(Math.max(1, options.maxQueue ?? 50_000));
    this.#instanceId = options.instanceId ?? null;
    if (this.#instanceId !== null && !UUID.test(this.#instanceId)) {
      // Every row would be refused (the column is a uuid): fail at startup instead.
      throw new StoreError(
        "invalid-argument",
        `instanceId must be a UUID (InstanceHandle.id), got "${this.#instanceId}"`,
      );
    }
    this.#initialRetryMs = options.initialRetryMs ?? 100;
    this.#maxRetryMs = options.maxRetryMs ?? 30_000;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    this.#every(options.flushIntervalMs ?? 1_000, () => this.#startPump(true));
    if (options.retentionDays !== undefined) {
      const days = options.retentionDays;
      const prune = () => {
        repository.prune({ olderThanDays: days }).then(
          (deleted) =>
            deleted > 0 && this.#logger.info?.("pruned old request logs", { deleted, days }),
          (error: unknown) =>
            this.#logger.warn("request log retention failed", { error: messageOf(error) }),
        );
      };
      setImmediate(prune);
      this.#every(options.pruneIntervalMs ?? 86_400_000, prune);
    }
  }

  /** Queues a record; never blocks, never throws. */
  write(record: RequestLogRecord): void {
    if (this.#closed) {
      this.#countDrops(1, "sink is closed");
      return;
    }
    try {
      this.#accepted += 1;
      const dropped = this.#queue.push(encodeLogRow(record));
      if (dropped > 0) this.#countDrops(dropped, "queue full");
      if (this.#queue.size >= this.#batchSize) this.#startPump(false);
    } catch (error) {
      this.#countDrops(1, `could not queue record: ${messageOf(error)}`);
    }
  }

  /** Resolves once everything written before this call is stored (or dropped). */
  flush(): Promise<void> {
    const target = this.#accepted;
    if (this.#written + this.#dropped >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#waiters.push({ target, resolve }));
    this.#startPump(true);
    // Someone is waiting: do not sit out a long backoff.
    this.#wakeRetry?.();
    return done;
  }

  /**
   * Stops the timers and writes what is queued, retrying for up to `closeTimeoutMs`; what is
   * still unwritten then is counted as dropped and reported through the logger.
   */
  async close(): Promise<void> {
    if (this.#closing) return this.flush();
    this.#closing = true;
    for (const timer of this.#timers) clearInterval(timer);
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<"timeout">((resolve) => {
      timeout = setTimeout(() => resolve("timeout"), this.#closeTimeoutMs);
    });
    const outcome = await Promise.race([this.flush().then(() => "flushed" as const), expired]);
    clearTimeout(timeout);
    this.#closed = true;
    if (outcome === "timeout") {
      const lost = this.#queue.take(this.#queue.size).length;
      this.#wakeRetry?.();
      if (lost > 0) this.#countDrops(lost, "close timed out with the database unreachable");
      this.#logger.error("request log sink closed with unwritten records", { lost });
    }
  }

  /** Queue length and lifetime counters. */
  stats(): RequestLogSinkStats {
    return {
      queued: this.#queue.size + this.#inFlight,
      dropped: this.#dropped,
      written: this.#written,
    };
  }

  #every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #startPump(drain: boolean): void {
    if (drain) this.#drainRequested = true;
    if (this.#pumping) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = null;
      // Writes may have filled a batch while the last insert was finishing.
      const size = this.#queue.size;
      if (!this.#closed && (size >= this.#batchSize || (this.#drainRequested && size > 0)))
        this.#startPump(false);
    });
  }

  async #pump(): Promise<void> {
    let failures = 0;
    for (;;) {
      const size = this.#queue.size;
      if (size === 0) {
        this.#drainRequested = false;
        break;
      }
      if (!this.#drainRequested && size < this.#batchSize) break;
      const batch = this.#queue.take(this.#batchSize);
      if (this.#queue.size === 0) this.#drainRequested = false;
      this.#inFlight = batch.length;
      const failure = await this.#insert(batch);
      this.#inFlight = 0;
      if (!failure) {
        failures = 0;
        continue;
      }
      // Transient: put the unwritten rows back (they are the oldest) and wait before retrying.
      const dropped = this.#queue.requeueFront(failure.remaining);
      if (dropped > 0) this.#countDrops(dropped, "queue full");
      if (this.#closed) {
        const lost = this.#queue.take(this.#queue.size).length;
        if (lost > 0) this.#countDrops(lost, "sink closed with the database unreachable");
        break;
      }
      this.#drainRequested = true;
      failures += 1;
      if (failures === 1 || failures % 10 === 0) {
        this.#logger.warn("cannot write request logs; retrying", {
          attempt: failures,
          queued: this.#queue.size,
          error: messageOf(failure.error),
        });
      }
      await this.#sleep(Math.min(this.#maxRetryMs, this.#initialRetryMs * 2 ** (failures - 1)));
    }
    this.#settle();
  }

  /** Writes a batch; on a retryable failure returns the error and the rows not yet written. */
  async #insert(
    batch: EncodedLogRow[],
  ): Promise<{ error: unknown; remaining: EncodedLogRow[] } | null> {
    try {
      await this.#repository.insert(batch, this.#instanceId);
      this.#written += batch.length;
      this.#inFlight -= batch.length;
      this.#settle();
      return null;
    } catch (error) {
      if (isTransient(error)) return { error, remaining: batch };
      if (batch.length === 1) {
        this.#inFlight -= 1;
        this.#countDrops(1, `database refused a record: ${messageOf(error)}`);
        return null;
      }
      // Something in the batch is refused outright: write one at a time to isolate it.
      for (let i = 0; i < batch.length; i += 1) {
        const failure = await this.#insert(batch.slice(i, i + 1));
        if (failure) return { error: failure.error, remaining: batch.slice(i) };
      }
      return null;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => {
        // Retry soon rather than at once, so a flush loop cannot hammer a dead server.
        clearTimeout(timer);
        setTimeout(done, Math.min(ms, this.#initialRetryMs));
      };
      this.#wakeRetry = wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.#wakeRetry = null;
    });
  }

  #countDrops(count: number, why: string): void {
    this.#dropped += count;
    this.#settle();
    const now = Date.now();
    if (now - this.#lastDropWarning > 10_000) {
      this.#lastDropWarning = now;
      this.#logger.warn("dropped request log records", { count, totalDropped: this.#dropped, why });
    }
  }

  #settle(): void {
    const settled = this.#written + this.#dropped;
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((waiter) => waiter.target <= settled);
    this.#waiters = this.#waiters.filter((waiter) => waiter.target > settled);
    for (const waiter of ready) waiter.resolve();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True unless the database refused the rows themselves. Only a value can be wrong in one
 * record and right in the next — a data exception (22), a constraint (23) or a size limit
 * (54). Anything else concerns the database as a whole: connection loss, shutdown, overload,
 * conflicts, but also a dropped database (3D000), a changed password (28P01) or a revoked
 * privilege (42501). Those are retried like an outage — the bounded queue still drops the
 * oldest records if it lasts — rather than dropping every record as "refused".
 */
function isTransient(error: unknown): boolean {
  const state = sqlState(error);
  if (state === undefined) return true;
  return !/^(22|23|54)/.test(state);
}

function messageOf(error: unknown): string {
  return describeDbError(error);
}
