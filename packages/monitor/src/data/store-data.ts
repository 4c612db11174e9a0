import type {
  ApiKeyRecord,
  CallFigures,
  RequestLogEntry,
  ServerInstanceRecord,
  Store,
} from "@grpc-cfg/store";
import { sql } from "drizzle-orm";
import { ApiError } from "../http/errors.js";
import { grpcCodeName } from "../metrics/grpc-codes.js";
import type { StoredApiKeyView } from "../schemas/api-keys.js";
import { iso, type Statistics } from "../schemas/common.js";
import type { RequestLogView } from "../schemas/monitor.js";
import type { ServerView } from "../schemas/servers.js";
import type { MonitorData } from "./monitor-data.js";
import { listRequests } from "./request-listing.js";

/** Options of {@link createStoreData}. */
export interface StoreDataOptions {
  /** A running instance silent this long is reported `stale` (default 30 000). */
  readonly staleAfterMs?: number;
  /**
   * Request log queries running longer are cancelled and answered 503 (default 20 000): the
   * dashboard refreshes every 15 s, and figures over weeks of a busy log can take minutes.
   */
  readonly queryTimeoutMs?: number;
}

/** Default of {@link StoreDataOptions.queryTimeoutMs}. */
export const DEFAULT_QUERY_TIMEOUT_MS = 20_000;

/** Implements the monitor's data port over @grpc-cfg/store. */
export function createStoreData(store: Store, options: StoreDataOptions = {}): MonitorData {
  const logs = store.requestLogs.withStatementTimeout(
    options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
  );
  return {
    async ping() {
      await store.db.execute(sql`select 1`);
    },
    async statistics(window, filter = {}) {
      return toStatistics(
        await timedOut(logs.statistics({ since: window.from, until: window.to, ...filter })),
      );
    },
    async serviceFigures(window) {
      const rows = await timedOut(logs.serviceStatistics({ since: window.from, until: window.to }));
      return rows.map((r) => ({
        service: r.service,
        requests: r.total,
        errors: r.total - r.successful,
        avgDurationMs: round(r.avgDurationMs),
        p95Ms: round(r.p95DurationMs),
        lastRequestAt: r.lastRequestAt,
      }));
    },
    async methodFigures(window, filter = {}) {
      const rows = await timedOut(
        logs.methodStatistics({ since: window.from, until: window.to, ...filter }),
      );
      return rows.map((r) => {
        const s = toStatistics(r);
        return {
          service: r.service,
          method: r.method,
          requests: s.total,
          errors: s.errors,
          errorRate: s.total === 0 ? 0 : Math.round((100 - s.successRate) * 100) / 100,
          avgDurationMs: s.avgDurationMs,
          p50Ms: s.p50Ms,
          p95Ms: s.p95Ms,
          p99Ms: s.p99Ms,
        };
      });
    },
    async timeline(window, interval, filter = {}) {
      const points = await timedOut(
        logs.timeline({ since: window.from, until: window.to, bucket: interval, ...filter }),
      );
      return points.map((p) => ({
        start: p.start,
        requests: p.total,
        errors: p.total - p.successful,
        avgDurationMs: round(p.avgDurationMs),
        p95Ms: round(p.p95DurationMs),
      }));
    },
    listRequests: (query) => timedOut(listRequests(store, query, toRequestView, logs)),
    async servers(currentId) {
      const rows = await store.instances.list({ staleAfterMs: options.staleAfterMs ?? 30_000 });
      return rows.map((row) => toServerView(row, currentId));
    },
    async findUserId(ref) {
      return (await store.users.find(ref))?.id ?? null;
    },
    async listKeys({ userId, includeRevoked }) {
      const rows = await store.apiKeys.list({
        ...(userId === undefined ? {} : { user: userId }),
        ...(includeRevoked ? {} : { status: "active" as const }),
      });
      return rows.map(toKeyView);
    },
    async getKey(id) {
      const row = await store.apiKeys.find(id);
      return row ? toKeyView(row) : null;
    },
    async createKey({ name, userId, expiresAt }) {
      const created = await store.apiKeys.create({ user: userId, name, expiresAt });
      return { key: toKeyView(created.record), secret: created.key };
    },
    async revokeKey(id) {
      if (!(await store.apiKeys.find(id))) return null;
      return toKeyView(await store.apiKeys.revoke(id));
    },
    async rotateKey(id, graceSeconds) {
      if (!(await store.apiKeys.find(id))) return null;
      const rotated = await store.apiKeys.rotate(id, { graceSeconds });
      return {
        issued: { key: toKeyView(rotated.record), secret: rotated.key },
        replaced: toKeyView(rotated.previous),
      };
    },
  };
}

/**
 * A request log query the statement timeout cancelled becomes a 503 whose message says so
 * (and what to do); the server log gets the cause. Matched by name like the app's mapping.
 */
export async function timedOut<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    if (error instanceof Error && error.name === "StoreError" && hasCode(error, "aborted")) {
      throw new ApiError("unavailable", error.message, undefined, { cause: error });
    }
    throw error;
  }
}

function hasCode(error: Error, code: string): boolean {
  return (error as Error & { code?: unknown }).code === code;
}

/** Durations to the microsecond: enough for a dashboard, without float noise in the JSON. */
function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}

/** `errors` counts every call that did not succeed: error, cancelled and timeout. */
function toStatistics(f: CallFigures): Statistics {
  return {
    total: f.total,
    successful: f.successful,
    errors: f.total - f.successful,
    successRate: f.successRate ?? 0,
    avgDurationMs: round(f.avgDurationMs),
    p50Ms: round(f.p50DurationMs),
    p95Ms: round(f.p95DurationMs),
    p99Ms: round(f.p99DurationMs),
  };
}

function toRequestView(e: RequestLogEntry): RequestLogView {
  return {
    id: e.id,
    requestId: e.requestId,
    service: e.service,
    method: e.method,
    path: e.path,
    callKind: e.callKind,
    status: e.status,
    grpcCode: e.grpcCode,
    grpcCodeName: grpcCodeName(e.grpcCode),
    errorMessage: e.errorMessage,
    durationMs: round(e.durationMs) ?? 0,
    // Logs outlive users and keys; a deleted one still shows by id.
    user: e.userId === null ? null : { id: e.userId, username: e.username ?? `#${e.userId}` },
    apiKey:
      e.apiKeyId === null
        ? null
        : {
            id: e.apiKeyId,
            name: e.apiKeyName ?? `#${e.apiKeyId}`,
            displayPrefix: e.apiKeyPrefix ?? "",
          },
    authenticated: e.authenticated,
    authMethod: e.authMethod,
    clientAddress: e.clientAddress,
    requestMessages: e.requestMessages,
    responseMessages: e.responseMessages,
    startedAt: iso(e.startedAt),
    completedAt: iso(e.completedAt),
  };
}

function toServerView(row: ServerInstanceRecord, currentId: string): ServerView {
  // A stale server's uptime ends at its last sign of life, a stopped one's when it stopped.
  const end = row.stoppedAt ?? (row.stale ? row.lastHeartbeatAt : new Date());
  const address =
    row.address !== null && row.port !== null
      ? `${row.address.includes(":") ? `[${row.address}]` : row.address}:${row.port}`
      : (row.address ?? (row.port === null ? null : `:${row.port}`));
  return {
    id: row.id,
    host: row.hostName,
    pid: row.pid,
    address,
    status: row.stale ? "stale" : row.status,
    current: row.id === currentId,
    startedAt: iso(row.startedAt),
    lastHeartbeatAt: iso(row.lastHeartbeatAt),
    stoppedAt: iso(row.stoppedAt),
    uptimeSeconds: Math.max(0, Math.round((end.getTime() - row.startedAt.getTime()) / 1000)),
    services: [...row.services],
  };
}

/** A key as the API shows it: the display prefix and a mask, never more of the secret. */
export function toKeyView(k: ApiKeyRecord): StoredApiKeyView {
  return {
    id: k.id,
    name: k.name,
    displayPrefix: k.displayPrefix,
    masked: `${k.displayPrefix}${"•".repeat(8)}`,
    user: { id: k.userId, username: k.username, isSuperuser: k.userIsSuperuser },
    status: k.status,
    createdAt: iso(k.createdAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
    requestCount: k.requestCount,
  };
}
