import type { AuthMethod, Database, LoggedCallKind, RequestStatus } from "@grpc-cfg/runtime";
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { StoreError } from "../errors.js";
import { apiKeys } from "../schema/api-keys.js";
import { requestLogs } from "../schema/request-logs.js";
import { users } from "../schema/users.js";
import { rowsOf } from "../sql-rows.js";
import { namedRangeOf, whereOf, type LogFilter } from "./log-filters.js";

/** One stored call, with the names of its user and key when they still exist. */
export interface RequestLogEntry {
  readonly id: number;
  readonly requestId: string;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly callKind: LoggedCallKind;
  readonly status: RequestStatus;
  readonly grpcCode: number;
  readonly errorMessage: string | null;
  readonly errorDetails: unknown;
  readonly durationMs: number;
  readonly userId: number | null;
  readonly username: string | null;
  readonly apiKeyId: number | null;
  readonly apiKeyName: string | null;
  readonly apiKeyPrefix: string | null;
  readonly authenticated: boolean;
  readonly authMethod: AuthMethod | null;
  readonly clientAddress: string | null;
  readonly requestMessages: number;
  readonly responseMessages: number;
  readonly serverInstanceId: string | null;
  readonly startedAt: Date;
  readonly completedAt: Date;
}

/** Listing options: a filter (no time limit unless given) plus paging. */
export interface ListLogsOptions extends LogFilter {
  /** Page size, 1–1000 (default 50). */
  readonly limit?: number;
  /** Rows to skip (newest-first paging). */
  readonly offset?: number;
  /**
   * Only rows with a larger id, returned OLDEST first — for following new calls:
   * pass the last id you have seen.
   */
  readonly afterId?: number;
}

/** A page of entries; `hasMore` says whether another page exists. */
export interface LogPage {
  readonly items: RequestLogEntry[];
  readonly hasMore: boolean;
}

/** The columns of a {@link RequestLogEntry}: the row with its user's and key's names joined. */
export const logEntryColumns = {
  id: requestLogs.id,
  requestId: requestLogs.requestId,
  service: requestLogs.service,
  method: requestLogs.method,
  path: requestLogs.path,
  callKind: requestLogs.callKind,
  status: requestLogs.status,
  grpcCode: requestLogs.grpcCode,
  errorMessage: requestLogs.errorMessage,
  errorDetails: requestLogs.errorDetails,
  durationMs: requestLogs.durationMs,
  userId: requestLogs.userId,
  username: users.username,
  apiKeyId: requestLogs.apiKeyId,
  apiKeyName: apiKeys.name,
  apiKeyPrefix: apiKeys.displayPrefix,
  authenticated: requestLogs.authenticated,
  authMethod: requestLogs.authMethod,
  clientAddress: requestLogs.clientAddress,
  requestMessages: requestLogs.requestMessages,
  responseMessages: requestLogs.responseMessages,
  serverInstanceId: requestLogs.serverInstanceId,
  startedAt: requestLogs.createdAt,
  completedAt: requestLogs.completedAt,
};

/** Newest-first page of calls matching a filter (or oldest-first after `afterId`). */
export async function listLogs(db: Database, options: ListLogsOptions = {}): Promise<LogPage> {
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
    throw new StoreError(
      "invalid-argument",
      `limit must be an integer from 1 to 1000, got ${String(options.limit)}`,
    );
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new StoreError(
      "invalid-argument",
      `offset must be a non-negative integer, got ${String(options.offset)}`,
    );
  }
  if (options.afterId !== undefined && !Number.isSafeInteger(options.afterId)) {
    throw new StoreError("invalid-argument", "afterId must be an integer");
  }
  const range = namedRangeOf(options);
  const following = options.afterId !== undefined;
  const rows = await db
    .select(logEntryColumns)
    .from(requestLogs)
    .leftJoin(users, eq(users.id, requestLogs.userId))
    .leftJoin(apiKeys, eq(apiKeys.id, requestLogs.apiKeyId))
    .where(
      and(
        whereOf(options, range),
        following ? gt(requestLogs.id, options.afterId ?? 0) : undefined,
      ),
    )
    .orderBy(
      ...(following ? [asc(requestLogs.id)] : [desc(requestLogs.createdAt), desc(requestLogs.id)]),
    )
    .limit(limit + 1)
    .offset(offset);
  return { items: rows.slice(0, limit) as RequestLogEntry[], hasMore: rows.length > limit };
}

/** How many calls match a filter (no time limit unless given). */
export async function countLogs(db: Database, filter: LogFilter = {}): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(requestLogs)
    .where(whereOf(filter, namedRangeOf(filter)));
  return row?.count ?? 0;
}

/** One call by its row id, or null. */
export async function getLog(db: Database, id: number): Promise<RequestLogEntry | null> {
  const [row] = await db
    .select(logEntryColumns)
    .from(requestLogs)
    .leftJoin(users, eq(users.id, requestLogs.userId))
    .leftJoin(apiKeys, eq(apiKeys.id, requestLogs.apiKeyId))
    .where(eq(requestLogs.id, id));
  return (row as RequestLogEntry | undefined) ?? null;
}

/**
 * Deletes calls that started before `before` (or more than `olderThanDays` ago), in chunks of
 * 10 000 so a large backlog never holds one huge transaction. Returns how many were deleted.
 */
export async function pruneLogs(
  db: Database,
  options: { olderThanDays?: number; before?: Date },
): Promise<number> {
  let cutoff = options.before;
  if (!cutoff) {
    const days = options.olderThanDays;
    if (days === undefined || !Number.isFinite(days) || days <= 0) {
      throw new StoreError(
        "invalid-argument",
        `olderThanDays must be a positive number, got ${String(days)}`,
      );
    }
    cutoff = new Date(Date.now() - days * 86_400_000);
  }
  if (Number.isNaN(cutoff.getTime()))
    throw new StoreError("invalid-argument", "prune cutoff is not a valid date");
  let deleted = 0;
  for (;;) {
    const result = await db.execute(sql`
      with doomed as (
        select ${requestLogs.id} from ${requestLogs} where ${lt(requestLogs.createdAt, cutoff)} limit 10000
      ), removed as (
        delete from ${requestLogs} where ${requestLogs.id} in (select id from doomed) returning 1
      )
      select count(*)::int as n from removed`);
    const n = Number(rowsOf<{ n: unknown }>(result)[0]?.n ?? 0);
    deleted += n;
    if (n < 10_000) return deleted;
  }
}
