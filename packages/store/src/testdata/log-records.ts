/** Test helper: RequestLogRecords with sensible defaults. */
import type { RequestLogRecord } from "@grpc-cfg/runtime";

/** A successful unary call to `service/method`, overridable field by field. */
export function logRecord(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  const service = overrides.service ?? "test.v1.TestService";
  const method = overrides.method ?? "Get";
  const startedAt = overrides.startedAt ?? new Date();
  const durationMs = overrides.durationMs ?? 1;
  return {
    requestId: Math.random().toString(36).slice(2),
    service,
    method,
    path: `/${service}/${method}`,
    callKind: "unary",
    status: "success",
    grpcCode: 0,
    errorMessage: null,
    errorDetails: null,
    durationMs,
    userId: null,
    apiKeyId: null,
    authenticated: false,
    authMethod: null,
    clientAddress: "127.0.0.1",
    requestMessages: 1,
    responseMessages: 1,
    startedAt,
    completedAt: new Date(startedAt.getTime() + durationMs),
    ...overrides,
  };
}

/** Linear-interpolation percentile, as PostgreSQL's percentile_cont computes it. */
export function percentileCont(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}
