import { Metadata } from "@grpc/grpc-js";
import type { ServerInterceptingCallInterface } from "@grpc/grpc-js";
import { RESERVED_RESPONSE_KEYS } from "../context/metadata.js";
import { patchTimeoutHandling } from "./grpc-timeout.js";
import { REQUEST_ID_HEADER, saneRequestId } from "./request-id.js";
import { CALL_TOKEN_METADATA_KEY, deadlinePassed, WIRE } from "./wire-call.js";
import type { InnermostCall, SentStatus, WireCall, WiredCall } from "./wire-call.js";

// The wrappers on grpc-js's innermost call prototype, and the listener they put around the
// one grpc-js starts a call with: together they feed each call's WireCall (wire-call.ts).

/** The listener grpc-js hands to `start` (its `InterceptingServerListener`, not exported). */
type StartListener = Parameters<ServerInterceptingCallInterface["start"]>[0];

/**
 * The HTTP/2 RST_STREAM code the client closed the call with (0 = closed normally), read
 * from grpc-js's innermost call object (`stream`, not in its typings; present in 1.10–1.14).
 * When absent, 0: the status seen sent is then taken as the outcome.
 */
function resetCode(call: object): number {
  const stream = (call as { stream?: { rstCode?: unknown } }).stream;
  return typeof stream?.rstCode === "number" ? stream.rstCode : 0;
}

/**
 * True when the client reset the call's HTTP/2 stream (RST_STREAM, whatever its code, or the
 * connection went away) before the server finished its response: Node sets the stream's
 * `aborted` then. Read from the same `stream` as {@link resetCode}; false when absent.
 */
function wasReset(call: object): boolean {
  const stream = (call as { stream?: { aborted?: unknown; rstCode?: unknown } }).stream;
  return stream?.aborted === true || (typeof stream?.rstCode === "number" && stream.rstCode !== 0);
}

// How close to its deadline a client stream's end of input counts as the deadline's doing
// (see WireListener.onReceiveHalfClose). A grpc-js client's end of input at its deadline
// arrives about when our own deadline passes; the slack covers timer jitter, and is kept
// short because a real half-close this close to the deadline loses the call.
const HALF_CLOSE_DEADLINE_SLACK_MS = 20;

function deadlineOf(call: { getDeadline(): Date | number }): number | null {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : null;
}

/** The listener the interceptor passes to grpc-js's `start`, around the one it was given. */
class WireListener implements StartListener {
  /** The cancel was passed on to grpc-js's handler (once; see {@link onReceiveHalfClose}). */
  cancelled = false;

  constructor(
    readonly inner: StartListener,
    readonly call: WiredCall,
    readonly wire: WireCall,
  ) {}

  onReceiveMetadata(metadata: Metadata): void {
    const wire = this.wire;
    // Like set(), this replaces whatever a client sent under the token's key.
    setTrusted(metadata, CALL_TOKEN_METADATA_KEY, wire.token);
    wire.deadline = deadlineOf(this.call);
    wire.requestId = saneRequestId(metadata.get(REQUEST_ID_HEADER)[0]);
    wire.metadata = metadata;
    this.inner.onReceiveMetadata(metadata);
  }

  onReceiveMessage(message: unknown): void {
    this.wire.requestMessages++;
    this.inner.onReceiveMessage(message);
  }

  // A half-close that comes after the call has ended is not the client finishing its input,
  // and a handler still reading must not take it for one (and, say, commit a partial batch).
  // grpc-js reports it before the cancel: Node's http2 ends the readable side of a stream the
  // client resets (RST_STREAM, a lost connection) before it reports the close, and the
  // client's END_STREAM can arrive after grpc-js has sent a status of its own (deadline
  // exceeded) but before it reports the call's end. A grpc-js client's END_STREAM at its
  // deadline arrives about when our deadline passes. Then the cancel is passed on now
  // instead: the handler's signal fires, its request stream ends, and the pipeline's
  // RequestStream (request-stream.ts) throws rather than ending. The call's outcome is still
  // read when grpc-js reports its end.
  onReceiveHalfClose(): void {
    const wire = this.wire;
    if (
      wire.requestStream &&
      !this.cancelled &&
      (wire.sent !== null ||
        wasReset(this.call) ||
        deadlinePassed(wire.deadline, HALF_CLOSE_DEADLINE_SLACK_MS))
    ) {
      this.cancelled = true;
      this.inner.onCancel();
      return;
    }
    this.inner.onReceiveHalfClose();
  }

  // grpc-js reports "cancel" at the end of every call, normal or not; the stream's reset code
  // tells them apart. A client cancel can look like a half-close followed by a normal status
  // (its request stream ends, the handler returns), so the status alone is not enough.
  onCancel(): void {
    const wire = this.wire;
    // Only a call no handler saw needs its peer from here (for its record); others have it.
    if (!wire.reached) wire.peer = this.call.getPeer();
    if (resetCode(this.call) === 0 && wire.sent !== null) {
      wire.endAsSent();
    } else {
      const deadlineExceeded = deadlinePassed(deadlineOf(this.call));
      wire.end({ cancelled: true, deadlineExceeded, code: null, details: null });
    }
    // Unless passed on early by onReceiveHalfClose.
    if (this.cancelled) return;
    this.cancelled = true;
    this.inner.onCancel();
  }
}

/**
 * `metadata.set(key, value)` for a lower-case key and a value we made and know to be legal
 * (the call token's digits, a request id that passed `saneRequestId`), written straight into
 * grpc-js's map: `set` would check both against its regular expressions again, twice per
 * call (~0.5 µs each in a profile of the benchmark). Falls back to `set` should grpc-js ever
 * keep its entries elsewhere.
 */
export function setTrusted(metadata: Metadata, key: string, value: string): void {
  const entries = (metadata as unknown as { internalRepr?: unknown }).internalRepr;
  if (entries instanceof Map) entries.set(key, [value]);
  else metadata.set(key, value);
}

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/**
 * Drops the keys gRPC reserves (`RESERVED_RESPONSE_KEYS`) from a call's response header or
 * trailer metadata: a handler that sets `grpc-status` on `ctx.trailer` itself (the helpers
 * refuse it) would otherwise replace the status grpc-js sends, and the client and the request
 * log would disagree. Trailers keep `grpc-status-details-bin`, where nice-grpc-error-details
 * puts a thrown error's details. A call with no metadata of its own costs one size check.
 */
function stripReserved(metadata: Metadata, trailers: boolean): void {
  const entries = (metadata as unknown as { internalRepr?: unknown }).internalRepr;
  if (entries instanceof Map && entries.size === 0) return;
  const keys: Iterable<unknown> =
    entries instanceof Map ? entries.keys() : Object.keys(metadata.getMap());
  for (const key of keys) {
    if (typeof key !== "string" || !RESERVED_RESPONSE_KEYS.has(key)) continue;
    if (trailers && key === STATUS_DETAILS_KEY) continue;
    metadata.remove(key);
  }
}

const patchedPrototypes = new WeakSet<object>();

/**
 * Wraps `start`, `sendMetadata`, `sendMessage` and `sendStatus` on the prototype of grpc-js's
 * innermost call, once. grpc-js calls them through `this`, so its own statuses and default
 * headers pass through too. Calls without a {@link WireCall} (another server in the process
 * that has not our interceptor) go straight to grpc-js. Also replaces grpc-js's reading of
 * `grpc-timeout` (see grpc-timeout.ts), for every call, if that was not done before the first.
 *
 * Why the prototype and not a closure per call on the call object: a per-call function
 * stored on grpc-js's call kept each call's whole object graph alive through young-generation
 * collections (measured with `--trace-gc-nvp` on the benchmark: 7.8 KB promoted per call
 * instead of 3.0 with no interceptor), and the garbage collector was the largest cost of a call.
 */
export function patchPrototype(proto: InnermostCall): void {
  if (patchedPrototypes.has(proto)) return;
  patchedPrototypes.add(proto);
  // Normally done before the first call already (see patchTimeoutHandlingEarly).
  patchTimeoutHandling(proto);
  const { start, sendMetadata, sendMessage, sendStatus } = proto;
  proto.start = function (this: WiredCall, listener: StartListener) {
    const wire = this[WIRE];
    start.call(this, wire === undefined ? listener : new WireListener(listener, this, wire));
  };
  proto.sendMetadata = function (this: WiredCall, metadata?: Metadata) {
    const wire = this[WIRE];
    if (wire === undefined) return sendMetadata.call(this, metadata);
    if (metadata !== undefined) stripReserved(metadata, false);
    const headers = metadata ?? new Metadata();
    if (wire.requestId !== "") setTrusted(headers, REQUEST_ID_HEADER, wire.requestId);
    wire.headerSent = true;
    sendMetadata.call(this, headers);
  };
  proto.sendMessage = function (this: WiredCall, message: unknown, callback: () => void) {
    const wire = this[WIRE];
    if (wire !== undefined) wire.responseMessages++;
    sendMessage.call(this, message, callback);
  };
  proto.sendStatus = function (this: WiredCall, status: SentStatus) {
    const wire = this[WIRE];
    if (wire !== undefined) {
      if (status.metadata) stripReserved(status.metadata, true);
      if (wire.sent === null) {
        wire.sent = { code: status.code, details: status.details ?? "" };
        wire.sentAt = Date.now();
        // A call that already ended (cancelled) is not waiting for anything.
        if (wire.outcome === null) wire.owner.statusSent(wire);
      }
      // A status with no header before it would go out trailers-only, without the request id.
      if (!wire.headerSent && wire.requestId !== "") this.sendMetadata();
    }
    sendStatus.call(this, status);
  };
}
