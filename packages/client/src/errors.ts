import { status as GrpcStatus } from "@grpc/grpc-js";
import type { JsonValue } from "@bufbuild/protobuf";
import type { MetadataRecord } from "./metadata.js";

/** Why the client refused or could not prepare a call (no network status involved). */
export type DynamicClientErrorReason =
  | "invalid-input"
  | "unknown-symbol"
  | "ambiguous-symbol"
  | "wrong-call-kind"
  | "no-reflection"
  | "bad-descriptor";

/**
 * A problem found on the client side: bad JSON input, an unknown service or method, a server
 * without reflection. `suggestions` holds close matches for unknown names.
 */
export class DynamicClientError extends Error {
  /** Machine-readable category of the problem. */
  readonly reason: DynamicClientErrorReason;
  /** Close matches for an unknown or ambiguous name, best first (may be empty). */
  readonly suggestions: readonly string[];
  /** For invalid input: the JSON path of the offending field, e.g. `note.author.name`. */
  readonly fieldPath: string | undefined;

  constructor(
    reason: DynamicClientErrorReason,
    message: string,
    options: { suggestions?: readonly string[]; fieldPath?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DynamicClientError";
    this.reason = reason;
    this.suggestions = options.suggestions ?? [];
    this.fieldPath = options.fieldPath;
  }
}

/** A call that ended with a non-OK gRPC status. */
export class GrpcCallError extends Error {
  /** Numeric gRPC status code, e.g. 5. */
  readonly code: number;
  /** Canonical code name, e.g. "NOT_FOUND". */
  readonly codeName: string;
  /** The status message sent by the server. */
  readonly statusMessage: string;
  /**
   * google.rpc.Status details from the `grpc-status-details-bin` trailer, as proto3 JSON
   * (`{"@type": ..., ...}`); empty when the server sent none.
   */
  readonly details: readonly JsonValue[];
  /** Trailing metadata of the failed call. */
  readonly trailers: MetadataRecord;
  /**
   * Response headers, when the server sent them before failing the call. A server that
   * fails at once sends one block ("trailers-only"), which lands in `trailers`.
   */
  readonly headers: MetadataRecord;

  constructor(
    code: number,
    statusMessage: string,
    details: readonly JsonValue[],
    trailers: MetadataRecord,
    headers: MetadataRecord = {},
  ) {
    const codeName = grpcCodeName(code);
    super(`${codeName} (${code}): ${statusMessage}`);
    this.name = "GrpcCallError";
    this.code = code;
    this.codeName = codeName;
    this.statusMessage = statusMessage;
    this.details = details;
    this.trailers = trailers;
    this.headers = headers;
  }
}

/** The canonical name of a gRPC status code ("DEADLINE_EXCEEDED" for 4), or "CODE_<n>". */
export function grpcCodeName(code: number): string {
  const name = (GrpcStatus as unknown as Record<number, string | undefined>)[code];
  return name ?? `CODE_${code}`;
}
