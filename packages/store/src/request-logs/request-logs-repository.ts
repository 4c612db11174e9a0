import { insertLogRows } from "./log-insert.js";
import type { Database } from "@grpc-cfg/runtime";
import { requestLogs } from "../schema/request-logs.js";
import { boundedRead, checkTimeout } from "./bounded-read.js";
import { countLogsUpTo, type LogCount } from "./log-count.js";
import type { LogFilter } from "./log-filters.js";
import {
  countLogs,
  getLog,
  listLogs,
  pruneLogs,
  type ListLogsOptions,
  type LogPage,
  type RequestLogEntry,
} from "./log-listing.js";
import type { EncodedLogRow } from "./log-rows.js";
import {
  methodStatistics,
  serviceStatistics,
  statistics,
  timeline,
  type MethodStatistics,
  type RequestStatistics,
  type ServiceStatistics,
  type TimelineBucket,
  type TimelinePoint,
} from "./log-statistics.js";

/**
 * Request logs: the write path used by the sink, and the queries behind `grpc-cfg logs/stats`
 * and the monitor. Every figure is computed in SQL; every filter value is a bound parameter.
 * Reads go through `reader` (the read-only handle) so a monitor can never write by accident.
 */
export class RequestLogsRepository {
  readonly #db: Database;
  readonly #reader: Database;
  readonly #timeoutMs: number | undefined;

  /** `statementTimeoutMs` limits every read (see {@link withStatementTimeout}). */
  constructor(db: Database, reader: Database, options: { statementTimeoutMs?: number } = {}) {
    this.#db = db;
    this.#reader = reader;
    this.#timeoutMs = checkTimeout(options.statementTimeoutMs);
  }

  /**
   * The same repository with every read cancelled after `ms` milliseconds (PostgreSQL's
   * `statement_timeout`, set per transaction; it rejects with StoreError `aborted`). For
   * servers answering dashboards, where one query over months of logs must not hold a
   * pooled connection for minutes. Writes and `prune` are not limited.
   */
  withStatementTimeout(ms: number): RequestLogsRepository {
    return new RequestLogsRepository(this.#db, this.#reader, { statementTimeoutMs: ms });
  }

  #read<T>(query: (db: Database) => Promise<T>): Promise<T> {
    return boundedRead(this.#reader, this.#timeoutMs, query);
  }

  /** Inserts rows (see `encodeLogRow`) in one multi-row statement, all from one instance. */
  async insert(rows: readonly EncodedLogRow[], instanceId: string | null = null): Promise<void> {
    await insertLogRows(this.#db, rows, instanceId);
  }

  /** Totals, success rate and duration percentiles (default window: 24 hours). */
  statistics(filter?: LogFilter): Promise<RequestStatistics> {
    return this.#read((db) => statistics(db, filter));
  }

  /** Per-service figures, busiest first (default window: 24 hours). */
  serviceStatistics(filter?: LogFilter): Promise<ServiceStatistics[]> {
    return this.#read((db) => serviceStatistics(db, filter));
  }

  /** Per-method figures, busiest first (default window: 24 hours). */
  methodStatistics(filter?: LogFilter): Promise<MethodStatistics[]> {
    return this.#read((db) => methodStatistics(db, filter));
  }

  /** Hour or day buckets, empty ones included (default: 24 hours by hour, 30 days by day). */
  timeline(filter?: LogFilter & { readonly bucket?: TimelineBucket }): Promise<TimelinePoint[]> {
    return this.#read((db) => timeline(db, filter));
  }

  /** A page of calls, newest first, with user and key names. */
  list(options?: ListLogsOptions): Promise<LogPage> {
    return this.#read((db) => listLogs(db, options));
  }

  /** Number of calls matching a filter. */
  count(filter?: LogFilter): Promise<number> {
    return this.#read((db) => countLogs(db, filter));
  }

  /**
   * How many calls match, exactly up to `exactUpTo` and estimated (`exact: false`) past it:
   * for listings whose total only sizes a pager.
   */
  countUpTo(filter: LogFilter, exactUpTo: number): Promise<LogCount> {
    return this.#read((db) => countLogsUpTo(db, filter, exactUpTo));
  }

  /** One call by row id, or null. */
  get(id: number): Promise<RequestLogEntry | null> {
    return this.#read((db) => getLog(db, id));
  }

  /** Deletes old calls; returns how many. */
  prune(options: { olderThanDays?: number; before?: Date }): Promise<number> {
    return pruneLogs(this.#db, options);
  }
}
