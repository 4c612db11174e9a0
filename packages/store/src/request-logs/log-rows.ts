import type { RequestLogRecord } from "@grpc-cfg/runtime";
import type { requestLogs } from "../schema/request-logs.js";

/** A request_logs row ready to insert. */
export type RequestLogRow = typeof requestLogs.$inferInsert;

const MAX_TEXT = 10_000;

/**
 * Copies a record into an insertable row, repairing what PostgreSQL would reject so that one
 * odd record can never block the batch it travels in: NUL characters (invalid in text and
 * jsonb), non-JSON error details (BigInt, cycles), non-finite numbers, invalid dates.
 */
export function toRow(record: RequestLogRecord, instanceId: string | null): RequestLogRow {
  const completedAt = validDate(record.completedAt) ?? new Date();
  return {
    requestId: text(record.requestId) ?? "",
    service: text(record.service) ?? "",
    method: text(record.method) ?? "",
    path: text(record.path) ?? "",
    callKind: text(record.callKind) ?? "unary",
    status: text(record.status) ?? "error",
    grpcCode: integer(record.grpcCode),
    errorMessage: text(record.errorMessage),
    errorDetails: jsonSafe(record.errorDetails),
    durationMs:
      Number.isFinite(record.durationMs) && record.durationMs >= 0 ? record.durationMs : 0,
    userId: record.userId === null ? null : integer(record.userId),
    apiKeyId: record.apiKeyId === null ? null : integer(record.apiKeyId),
    authenticated: record.authenticated === true,
    authMethod: text(record.authMethod),
    clientAddress: text(record.clientAddress),
    requestMessages: integer(record.requestMessages),
    responseMessages: integer(record.responseMessages),
    serverInstanceId: instanceId,
    createdAt: validDate(record.startedAt) ?? completedAt,
    completedAt,
  };
}

function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const clean = String(value).replaceAll("\u0000", "");
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

function integer(value: number): number {
  return Number.isSafeInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : 0;
}

function validDate(value: Date): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    const json = JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === "bigint" ? inner.toString() : inner,
    );
    if (json === undefined) return null;
    const cleaned = json.replaceAll("\\u0000", "");
    return JSON.parse(
      cleaned.length > MAX_TEXT * 5
        ? JSON.stringify({ truncated: cleaned.slice(0, MAX_TEXT) })
        : cleaned,
    ) as unknown;
  } catch {
    return { unserializable: String(value).replaceAll("\u0000", "").slice(0, MAX_TEXT) };
  }
}
