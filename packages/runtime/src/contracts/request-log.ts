import type { AuthMethod } from "./identity.js";
import { CALL_KINDS } from "./method-table.js";

/**
 * The kinds of a logged call: its method's kind, or `unknown` for a call to a method the
 * server does not serve (it cannot tell what the client meant to send or receive).
 */
export const LOGGED_CALL_KINDS = [...CALL_KINDS, "unknown"] as const;

/** One of {@link LOGGED_CALL_KINDS}. */
export type LoggedCallKind = (typeof LOGGED_CALL_KINDS)[number];

/** The outcome classes of a finished call, as the request log stores them. */
export const REQUEST_STATUSES = ["success", "error", "cancelled", "timeout"] as const;

/** One of {@link REQUEST_STATUSES}. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** One finished call: exactly one record per call, whatever its outcome. */
export interface RequestLogRecord {
  readonly requestId: string;
  /** Fully qualified service name, e.g. `shop.v1.UserService`. */
  readonly service: string;
  /** Rpc name, e.g. `GetUser`. */
  readonly method: string;
  /** gRPC path, e.g. `/shop.v1.UserService/GetUser`. */
  readonly path: string;
  readonly callKind: LoggedCallKind;
  readonly status: RequestStatus;
  /** Numeric gRPC status code (0 = OK). */
  readonly grpcCode: number;
  readonly errorMessage: string | null;
  /** Structured error details (e.g. google.rpc.BadRequest as JSON), or null. */
  readonly errorDetails: unknown;
  readonly durationMs: number;
  readonly userId: number | null;
  readonly apiKeyId: number | null;
  readonly authenticated: boolean;
  readonly authMethod: AuthMethod | null;
  readonly clientAddress: string | null;
  /** Messages received from the client (1 for unary requests). */
  readonly requestMessages: number;
  /** Messages sent to the client (1 for a successful unary response). */
  readonly responseMessages: number;
  readonly startedAt: Date;
  readonly completedAt: Date;
}

/** Figures a sink exposes for metrics and the monitor. */
export interface RequestLogSinkStats {
  /** Records waiting to be written. */
  readonly queued: number;
  /** Records dropped because the queue was full, since start. */
  readonly dropped: number;
  /** Records written, since start. */
  readonly written: number;
}

/**
 * Receives one record per finished call. `write` must never block or throw: the call it
 * describes has already finished and must not wait on I/O.
 */
export interface RequestLogSink {
  write(record: RequestLogRecord): void;
  /** Writes everything queued so far; resolves when done. */
  flush(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
  stats?(): RequestLogSinkStats;
}
