import { insertLogRows } from "./log-insert.js";
import type { Database } from "@grpc-cfg/runtime";
import { requestLogs } from "../schema/request-logs.js";
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

  constructor(db: Database, reader: Database) {
    this.#db = db;
    this.#reader = reader;
  }

  /** Inserts rows (see `encodeLogRow`) in one multi-row statement, all from one instance. */
  async insert(rows: readonly EncodedLogRow[], instanceId: string | null = null): Promise<void> {
    await insertLogRows(this.#db, rows, instanceId);
  }

  /** Totals, success rate and duration percentiles (default window: 24 hours). */
  statistics(filter?: LogFilter): Promise<RequestStatistics> {
    return statistics(this.#reader, filter);
  }

  /** Per-service figures, busiest first (default window: 24 hours). */
  serviceStatistics(filter?: LogFilter): Promise<ServiceStatistics[]> {
    return serviceStatistics(this.#reader, filter);
  }

  /** Per-method figures, busiest first (default window: 24 hours). */
  methodStatistics(filter?: LogFilter): Promise<MethodStatistics[]> {
    return methodStatistics(this.#reader, filter);
  }

  /** Hour or day buckets, empty ones included (default: 24 hours by hour, 30 days by day). */
  timeline(filter?: LogFilter & { readonly bucket?: TimelineBucket }): Promise<TimelinePoint[]> {
    return timeline(this.#reader, filter);
  }

  /** A page of calls, newest first, with user and key names. */
  list(options?: ListLogsOptions): Promise<LogPage> {
    return listLogs(this.#reader, options);
  }

  /** Number of calls matching a filter. */
  count(filter?: LogFilter): Promise<number> {
    return countLogs(this.#reader, filter);
  }

  /** One call by row id, or null. */
  get(id: number): Promise<RequestLogEntry | null> {
    return getLog(this.#reader, id);
  }

  /** Deletes old calls; returns how many. */
  prune(options: { olderThanDays?: number; before?: Date }): Promise<number> {
    return pruneLogs(this.#db, options);
  }
}
