import type { RequestLogEntry, Store } from "@grpc-cfg/store";
import { ApiError } from "../http/errors.js";
import type { RequestLogView } from "../schemas/monitor.js";
import type { RequestListPage, RequestListQuery } from "./monitor-data.js";
import {
  decodeCursor,
  encodeCursor,
  listAfterCursor,
  type KeysetFilter,
} from "./request-log-keyset-query.js";

const EMPTY: RequestListPage = { items: [], total: 0, nextCursor: null };

/**
 * Totals above this are PostgreSQL's estimate: an exact count reads every matching row on
 * every page (1.5 s for 6 M rows), and the total only sizes the pager.
 */
export const EXACT_TOTAL_UP_TO = 10_000;

/**
 * The request listing: resolves the `user` and `api_key` filters (id or name) to ids, then
 * pages by offset through the store (with a total, estimated past {@link EXACT_TOTAL_UP_TO})
 * or by cursor (keyset, no total). A filter naming a user or key that does not exist matches
 * nothing. `logs` is the store's request log, possibly with a statement timeout.
 */
export async function listRequests(
  store: Store,
  query: RequestListQuery,
  view: (entry: RequestLogEntry) => RequestLogView,
  logs: Store["requestLogs"] = store.requestLogs,
): Promise<RequestListPage> {
  const userId = query.user === undefined ? undefined : await resolveUser(store, query.user);
  const apiKeyId = query.apiKey === undefined ? undefined : await resolveKey(store, query.apiKey);
  if (userId === null || apiKeyId === null) return query.cursor ? { ...EMPTY, total: null } : EMPTY;

  const base = {
    ...(query.service === undefined ? {} : { service: query.service }),
    ...(query.method === undefined ? {} : { method: query.method }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(userId === undefined ? {} : { userId }),
    ...(apiKeyId === undefined ? {} : { apiKeyId }),
  };

  if (query.cursor !== undefined) {
    const cursorId = decodeCursor(query.cursor);
    if (cursorId === null) {
      throw new ApiError(
        "bad_request",
        'query parameter "cursor": is not a cursor this API returned',
        "cursor",
      );
    }
    const filter: KeysetFilter = {
      ...base,
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
    };
    const page = await listAfterCursor(store.provider.readOnly, filter, cursorId, query.pageSize);
    if (page.cursorMissing) {
      throw new ApiError(
        "bad_request",
        'query parameter "cursor": its row was pruned; start from the first page',
        "cursor",
      );
    }
    return {
      items: page.items.map(view),
      total: null,
      nextCursor: nextCursor(page.items, page.hasMore),
    };
  }

  // The store reads a lone `until` as "the 24 hours before it"; the monitor means "ever".
  const filter =
    query.from || query.to
      ? { ...base, since: query.from ?? new Date(0), until: query.to ?? new Date() }
      : base;
  const page = query.page ?? 1;
  const [result, total] = await Promise.all([
    logs.list({ ...filter, limit: query.pageSize, offset: (page - 1) * query.pageSize }),
    logs.countUpTo(filter, EXACT_TOTAL_UP_TO),
  ]);
  return {
    items: result.items.map(view),
    // An estimate may fall short of the rows this very page proves exist.
    total: Math.max(
      total.count,
      (page - 1) * query.pageSize + result.items.length + (result.hasMore ? 1 : 0),
    ),
    nextCursor: nextCursor(result.items, result.hasMore),
  };
}

function nextCursor(items: readonly RequestLogEntry[], hasMore: boolean): string | null {
  const last = items.at(-1);
  return hasMore && last ? encodeCursor(last.id) : null;
}

async function resolveUser(store: Store, ref: string): Promise<number | null> {
  return (await store.users.find(ref))?.id ?? null;
}

/** A key by id (all digits) or by name; a name several keys share is ambiguous → 400. */
async function resolveKey(store: Store, ref: string): Promise<number | null> {
  if (/^\d{1,9}$/.test(ref)) return (await store.apiKeys.find(Number(ref)))?.id ?? null;
  const matches = (await store.apiKeys.list()).filter((k) => k.name === ref);
  if (matches.length > 1) {
    throw new ApiError(
      "bad_request",
      `query parameter "api_key": ${matches.length} keys are named "${ref}"; use the key id (${matches.map((k) => k.id).join(", ")})`,
      "api_key",
    );
  }
  return matches[0]?.id ?? null;
}
