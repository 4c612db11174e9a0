import type { Database } from "@grpc-cfg/runtime";
import { desc, sql, type SQL } from "drizzle-orm";
import { StoreError } from "../errors.js";
import { requestLogs } from "../schema/request-logs.js";
import { rowsOf } from "../sql-rows.js";
import { rangeOf, whereOf, type LogFilter, type TimeRange } from "./log-filters.js";

/** Outcome counts and latency over a set of calls. Durations are null when there are none. */
export interface CallFigures {
  readonly total: number;
  readonly successful: number;
  readonly errors: number;
  readonly cancelled: number;
  readonly timeouts: number;
  /** successful / total × 100, two decimals; null when total is 0. */
  readonly successRate: number | null;
  readonly avgDurationMs: number | null;
  /** Continuous percentiles (`percentile_cont`), i.e. interpolated like numpy's default. */
  readonly p50DurationMs: number | null;
  readonly p95DurationMs: number | null;
  readonly p99DurationMs: number | null;
  readonly maxDurationMs: number | null;
}

/** {@link CallFigures} over a time range. */
export interface RequestStatistics extends CallFigures, TimeRange {}

/** Figures of one service. */
export interface ServiceStatistics extends CallFigures {
  readonly service: string;
  readonly methods: number;
  readonly lastRequestAt: Date | null;
}

/** Figures of one method. */
export interface MethodStatistics extends CallFigures {
  readonly service: string;
  readonly method: string;
  readonly lastRequestAt: Date | null;
}

/** One bucket of a timeline; empty buckets are present with zero counts. */
export interface TimelinePoint {
  readonly start: Date;
  readonly total: number;
  readonly successful: number;
  readonly errors: number;
  readonly avgDurationMs: number | null;
  readonly p95DurationMs: number | null;
}

/** Bucket size of a timeline. */
export type TimelineBucket = "hour" | "day";

const d = requestLogs.durationMs;
const figures = {
  total: sql<number>`count(*)`.mapWith(Number),
  successful: sql<number>`count(*) filter (where ${requestLogs.status} = 'success')`.mapWith(
    Number,
  ),
  errors: sql<number>`count(*) filter (where ${requestLogs.status} = 'error')`.mapWith(Number),
  cancelled: sql<number>`count(*) filter (where ${requestLogs.status} = 'cancelled')`.mapWith(
    Number,
  ),
  timeouts: sql<number>`count(*) filter (where ${requestLogs.status} = 'timeout')`.mapWith(Number),
  avgDurationMs: sql<number | null>`avg(${d})`.mapWith(nullableNumber),
  p50DurationMs: sql<number | null>`percentile_cont(0.5) within group (order by ${d})`.mapWith(
    nullableNumber,
  ),
  p95DurationMs: sql<number | null>`percentile_cont(0.95) within group (order by ${d})`.mapWith(
    nullableNumber,
  ),
  p99DurationMs: sql<number | null>`percentile_cont(0.99) within group (order by ${d})`.mapWith(
    nullableNumber,
  ),
  maxDurationMs: sql<number | null>`max(${d})`.mapWith(nullableNumber),
};

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function withRate<T extends Omit<CallFigures, "successRate">>(
  row: T,
): T & { successRate: number | null } {
  return {
    ...row,
    successRate: row.total === 0 ? null : Math.round((row.successful / row.total) * 10_000) / 100,
  };
}

const lastRequestAt = sql<Date | null>`max(${requestLogs.createdAt})`.mapWith(
  requestLogs.createdAt,
);

/*
 * Per-service and per-method figures group by bytewise ("C") names. Grouping on the columns
 * themselves lets the planner walk the whole (service, method, created_at) index for its
 * order, one random heap read per row: 56 s over 6 M rows from a cold cache, against 13 s
 * for a sequential scan and a sort. A "C" sort is also cheaper than a locale-aware one. The
 * names are identifiers, so only the order of services with equal call counts can differ.
 */
const serviceKey = sql<string>`${requestLogs.service} collate "C"`;
const methodKey = sql<string>`${requestLogs.method} collate "C"`;

/** Totals and percentiles over a window (default: the last 24 hours). */
export async function statistics(db: Database, filter: LogFilter = {}): Promise<RequestStatistics> {
  const range = rangeOf(filter, 24);
  const [row] = await db.select(figures).from(requestLogs).where(whereOf(filter, range));
  if (!row) throw new StoreError("failed-precondition", "statistics query returned no row");
  return { ...range, ...withRate(row) };
}

/** Per-service figures over a window, busiest first. */
export async function serviceStatistics(
  db: Database,
  filter: LogFilter = {},
): Promise<ServiceStatistics[]> {
  const range = rangeOf(filter, 24);
  const rows = await db
    .select({
      service: serviceKey.as("service"),
      methods: sql<number>`count(distinct ${methodKey})`.mapWith(Number),
      lastRequestAt,
      ...figures,
    })
    .from(requestLogs)
    .where(whereOf(filter, range))
    .groupBy(serviceKey)
    .orderBy(desc(sql`count(*)`), serviceKey);
  return rows.map(withRate);
}

/** Per-method figures over a window, busiest first. */
export async function methodStatistics(
  db: Database,
  filter: LogFilter = {},
): Promise<MethodStatistics[]> {
  const range = rangeOf(filter, 24);
  const rows = await db
    .select({
      service: serviceKey.as("service"),
      method: methodKey.as("method"),
      lastRequestAt,
      ...figures,
    })
    .from(requestLogs)
    .where(whereOf(filter, range))
    .groupBy(serviceKey, methodKey)
    .orderBy(desc(sql`count(*)`), serviceKey, methodKey);
  return rows.map(withRate);
}

/**
 * Calls per hour or day over a window (default 24 hours), oldest first, every bucket present
 * (generate_series), bucket starts in UTC.
 */
export async function timeline(
  db: Database,
  filter: LogFilter & { readonly bucket?: TimelineBucket } = {},
): Promise<TimelinePoint[]> {
  const bucket = filter.bucket ?? "hour";
  if (bucket !== "hour" && bucket !== "day") {
    throw new StoreError(
      "invalid-argument",
      `bucket must be "hour" or "day", got "${String(bucket)}"`,
    );
  }
  const range = rangeOf(filter, bucket === "day" ? 24 * 30 : 24);
  const step = sql.raw(`interval '1 ${bucket}'`);
  const unit = sql.raw(`'${bucket}'`);
  const conditions: SQL | undefined = whereOf(filter, range);
  const result = await db.execute(sql`
    with buckets as (
      select generate_series(
        date_trunc(${unit}, ${range.from.toISOString()}::timestamptz at time zone 'UTC'),
        date_trunc(${unit}, (${range.to.toISOString()}::timestamptz - interval '1 microsecond') at time zone 'UTC'),
        ${step}
      ) as start
    ),
    figures as (
      select date_trunc(${unit}, ${requestLogs.createdAt} at time zone 'UTC') as start,
        count(*)::int as total,
        (count(*) filter (where ${requestLogs.status} = 'success'))::int as successful,
        (count(*) filter (where ${requestLogs.status} = 'error'))::int as errors,
        avg(${d})::float8 as avg_duration,
        (percentile_cont(0.95) within group (order by ${d}))::float8 as p95_duration
      from ${requestLogs}
      where ${conditions}
      group by 1
    )
    -- Aggregating before the join: joining every call to its bucket first made PostgreSQL
    -- sort all of them for a merge join, then again per bucket (12 s against 6 s, 6 M rows).
    select to_char(b.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
      coalesce(f.total, 0) as total, coalesce(f.successful, 0) as successful,
      coalesce(f.errors, 0) as errors, f.avg_duration, f.p95_duration
    from buckets b left join figures f on f.start = b.start
    order by b.start`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    start: new Date(String(row.start)),
    total: Number(row.total),
    successful: Number(row.successful),
    errors: Number(row.errors),
    avgDurationMs: nullableNumber(row.avg_duration),
    p95DurationMs: nullableNumber(row.p95_duration),
  }));
}
