import { REQUEST_STATUSES } from "@grpc-cfg/runtime";
import type { RequestStatus } from "@grpc-cfg/runtime";
import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import { StoreError } from "../errors.js";
import { requestLogs } from "../schema/request-logs.js";

const MAX_HOURS = 24 * 400;

/**
 * Which calls a query covers. The time range is `[since, until)` on the call's start time:
 * `since` defaults to `until - hours` when `hours` is given; `until` defaults to now.
 */
export interface LogFilter {
  /** Window length ending at `until` (or now). */
  readonly hours?: number;
  readonly since?: Date;
  readonly until?: Date;
  /** Fully qualified service name, exact match. */
  readonly service?: string;
  /** Rpc name, exact match. */
  readonly method?: string;
  readonly status?: RequestStatus;
  readonly userId?: number;
  readonly apiKeyId?: number;
}

/** A resolved time range. */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** Validates `hours` (positive, at most 400 days) and returns it; `fallback` when undefined. */
export function checkHours(hours: number | undefined, fallback: number): number {
  const value = hours ?? fallback;
  if (!Number.isFinite(value) || value <= 0 || value > MAX_HOURS) {
    throw new StoreError(
      "invalid-argument",
      `hours must be a number between 0 and ${MAX_HOURS}, got ${String(hours)}`,
    );
  }
  return value;
}

/**
 * The range a filter names (`hours`, `since` or `until`; a missing end as in
 * {@link rangeOf}), or null when it names none: listings and counts then cover every row,
 * where figures default to the last hours.
 */
export function namedRangeOf(filter: LogFilter): TimeRange | null {
  const named =
    filter.hours !== undefined || filter.since !== undefined || filter.until !== undefined;
  return named ? rangeOf(filter, 24) : null;
}

/** The range a filter covers, with `defaultHours` when it names none. */
export function rangeOf(filter: LogFilter, defaultHours: number): TimeRange {
  const to = filter.until ?? new Date();
  const from =
    filter.since ?? new Date(to.getTime() - checkHours(filter.hours, defaultHours) * 3_600_000);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw new StoreError(
      "invalid-argument",
      "time range is empty or invalid: since must be before until",
    );
  }
  return { from, to };
}

/** Checks a filter's non-time fields; throws `invalid-argument` naming the bad one. */
export function checkFilter(filter: LogFilter): void {
  if (filter.status !== undefined && !REQUEST_STATUSES.includes(filter.status)) {
    throw new StoreError(
      "invalid-argument",
      `unknown status "${String(filter.status)}": use one of ${REQUEST_STATUSES.join(", ")}`,
    );
  }
  for (const [name, value] of [
    ["userId", filter.userId],
    ["apiKeyId", filter.apiKeyId],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new StoreError("invalid-argument", `${name} must be an integer`);
    }
  }
}

/** WHERE conditions for a filter (values are bound parameters, never spliced into SQL). */
export function whereOf(filter: LogFilter, range: TimeRange | null): SQL | undefined {
  checkFilter(filter);
  return and(
    range ? gte(requestLogs.createdAt, range.from) : undefined,
    range ? lt(requestLogs.createdAt, range.to) : undefined,
    filter.service !== undefined ? eq(requestLogs.service, filter.service) : undefined,
    filter.method !== undefined ? eq(requestLogs.method, filter.method) : undefined,
    filter.status !== undefined ? eq(requestLogs.status, filter.status) : undefined,
    filter.userId !== undefined ? eq(requestLogs.userId, filter.userId) : undefined,
    filter.apiKeyId !== undefined ? eq(requestLogs.apiKeyId, filter.apiKeyId) : undefined,
  );
}
