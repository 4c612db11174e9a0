import type { RequestLogRecord } from "@grpc-cfg/runtime";
import { requestLogs } from "../schema/request-logs.js";

/**
 * One request_logs row encoded for insertion: a JSON array holding the values of
 * {@link ENCODED_COLUMNS} in that order (timestamps as epoch milliseconds). Rows wait in the
 * sink's queue in this form: one flat string per call is far cheaper for the garbage
 * collector to carry than an object graph, and a batch is just the strings joined.
 *
 * Every byte here is parsed again by PostgreSQL, on the same cores as the server in small
 * deployments, so a row leaves out what the insert can supply: `service` and `method` are
 * null when they are the two parts of `path` (the INSERT splits the path), and the server
 * instance id travels once per batch.
 */
export type EncodedLogRow = string & { readonly __encodedLogRow: true };

/** The columns an {@link EncodedLogRow} holds, in order. */
export const ENCODED_COLUMNS = [
  requestLogs.requestId,
  requestLogs.service,
  requestLogs.method,
  requestLogs.path,
  requestLogs.callKind,
  requestLogs.status,
  requestLogs.grpcCode,
  requestLogs.errorMessage,
  requestLogs.errorDetails,
  requestLogs.durationMs,
  requestLogs.userId,
  requestLogs.apiKeyId,
  requestLogs.authenticated,
  requestLogs.authMethod,
  requestLogs.clientAddress,
  requestLogs.requestMessages,
  requestLogs.responseMessages,
  requestLogs.createdAt,
  requestLogs.completedAt,
] as const;

const MAX_TEXT = 10_000;

/**
 * Encodes a record as a row, repairing what PostgreSQL would reject so that one odd record
 * can never block the batch it travels in: NUL characters (invalid in text and jsonb),
 * non-JSON error details (BigInt, cycles), non-finite numbers, invalid dates.
 */
export function encodeLogRow(record: RequestLogRecord): EncodedLogRow {
  const completedAt = epochMs(record.completedAt) ?? Date.now();
  const service = text(record.service) ?? "";
  const method = text(record.method) ?? "";
  const path = text(record.path) ?? "";
  const derivable =
    path === `/${service}/${method}` && !service.includes("/") && !method.includes("/");
  return JSON.stringify([
    text(record.requestId) ?? "",
    derivable ? null : service,
    derivable ? null : method,
    path,
    text(record.callKind) ?? "unary",
    text(record.status) ?? "error",
    integer(record.grpcCode),
    text(record.errorMessage),
    jsonSafe(record.errorDetails),
    Number.isFinite(record.durationMs) && record.durationMs >= 0 ? record.durationMs : 0,
    record.userId === null ? null : integer(record.userId),
    record.apiKeyId === null ? null : integer(record.apiKeyId),
    record.authenticated === true,
    text(record.authMethod),
    text(record.clientAddress),
    integer(record.requestMessages),
    integer(record.responseMessages),
    epochMs(record.startedAt) ?? completedAt,
    completedAt,
  ]) as EncodedLogRow;
}

function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let clean = typeof value === "string" ? value : String(value);
  if (clean.includes("\u0000")) clean = clean.replaceAll("\u0000", "");
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

function integer(value: number): number {
  return Number.isSafeInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : 0;
}

function epochMs(value: Date): number | null {
  if (!(value instanceof Date)) return null;
  const ms = value.getTime();
  return Number.isNaN(ms) ? null : ms;
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
