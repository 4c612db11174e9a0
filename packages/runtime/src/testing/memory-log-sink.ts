import type {
  RequestLogRecord,
  RequestLogSink,
  RequestLogSinkStats,
} from "../contracts/request-log.js";

/**
 * Keeps every record in memory, for tests and `--no-db` runs. Records are appended after the
 * client has its response, so tests should `await sink.waitFor(n)` before asserting.
 */
export class MemoryLogSink implements RequestLogSink {
  readonly records: RequestLogRecord[] = [];
  #waiters: Array<{ count: number; wake: () => void }> = [];
  #closed = false;

  write(record: RequestLogRecord): void {
    if (this.#closed) return;
    this.records.push(record);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.records.length < waiter.count) return true;
      waiter.wake();
      return false;
    });
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }

  stats(): RequestLogSinkStats {
    return { queued: 0, dropped: 0, written: this.records.length };
  }

  /** Resolves once `count` records are held; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5_000): Promise<RequestLogRecord[]> {
    if (this.records.length >= count) return Promise.resolve(this.records);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} log records, have ${this.records.length}`)),
        timeoutMs,
      );
      this.#waiters.push({
        count,
        wake: () => {
          clearTimeout(timer);
          resolve(this.records);
        },
      });
    });
  }

  /** Drops every record held. */
  clear(): void {
    this.records.length = 0;
  }
}
