/**
 * Keyset ("cursor") pagination of the request log, newest first.
 *
 * The store's listing pages by offset (newest first) or follows new rows oldest first; the
 * monitor's `cursor` needs newest-first pages that stay stable while calls keep arriving, so
 * this one query lives here. Candidate to move into @grpc-cfg/store's log-listing.
 */
import type { Database } from "@grpc-cfg/runtime";
import {
  apiKeys,
  logEntryColumns,
  requestLogs,
  users,
  type RequestLogEntry,
} from "@grpc-cfg/store";
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";

/** Filters of a keyset page; ids are already resolved. */
export interface KeysetFilter {
  readonly service?: string;
  readonly method?: string;
  readonly status?: string;
  readonly userId?: number;
  readonly apiKeyId?: number;
  readonly from?: Date;
  readonly to?: Date;
}

/** Encodes the id of a page's last row as an opaque cursor. */
export function encodeCursor(id: number): string {
  return Buffer.from(`v1:${id}`).toString("base64url");
}

/** The row id inside a cursor, or null when it is not one this API issued. */
export function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^v1:(\d{1,15})$/.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * Rows strictly after the cursor row in (started_at, id) descending order. The cursor's
 * position is read from the row itself (a primary-key lookup), so sub-millisecond start
 * times compare exactly. Returns `cursorMissing` when that row no longer exists (pruned).
 */
export async function listAfterCursor(
  db: Database,
  filter: KeysetFilter,
  cursorId: number,
  limit: number,
): Promise<{ items: RequestLogEntry[]; hasMore: boolean; cursorMissing: boolean }> {
  const position = sql`(select ${requestLogs.createdAt}, ${requestLogs.id} from ${requestLogs} where ${requestLogs.id} = ${cursorId})`;
  const rows = await db
    .select(logEntryColumns)
    .from(requestLogs)
    .leftJoin(users, eq(users.id, requestLogs.userId))
    .leftJoin(apiKeys, eq(apiKeys.id, requestLogs.apiKeyId))
    .where(
      and(conditions(filter), sql`(${requestLogs.createdAt}, ${requestLogs.id}) < ${position}`),
    )
    .orderBy(desc(requestLogs.createdAt), desc(requestLogs.id))
    .limit(limit + 1);
  let cursorMissing = false;
  if (rows.length === 0) {
    const [exists] = await db
      .select({ id: requestLogs.id })
      .from(requestLogs)
      .where(eq(requestLogs.id, cursorId));
    cursorMissing = !exists;
  }
  return {
    items: rows.slice(0, limit) as RequestLogEntry[],
    hasMore: rows.length > limit,
    cursorMissing,
  };
}

function conditions(filter: KeysetFilter): SQL | undefined {
  return and(
    filter.from ? gte(requestLogs.createdAt, filter.from) : undefined,
    filter.to ? lt(requestLogs.createdAt, filter.to) : undefined,
    filter.service === undefined ? undefined : eq(requestLogs.service, filter.service),
    filter.method === undefined ? undefined : eq(requestLogs.method, filter.method),
    filter.status === undefined ? undefined : eq(requestLogs.status, filter.status),
    filter.userId === undefined ? undefined : eq(requestLogs.userId, filter.userId),
    filter.apiKeyId === undefined ? undefined : eq(requestLogs.apiKeyId, filter.apiKeyId),
  );
}
