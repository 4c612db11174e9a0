import { Metadata } from "@grpc/grpc-js";
import type { ServerInterceptingCallInterface } from "@grpc/grpc-js";
import { REQUEST_ID_HEADER, saneRequestId } from "./request-id.js";

// One call as grpc-js sees it, and the wrappers on grpc-js's call prototype that feed it.
// The bookkeeping across calls (claiming, forgetting, the settle sweep) is CallOutcomes' in
// call-outcome.ts.

/** The listener grpc-js hands to `start` (its `InterceptingServerListener`, not exported). */
type StartListener = Parameters<ServerInterceptingCallInterface["start"]>[0];

/** Internal metadata key: token linking the call to its {@link WireCall}. */
export const CALL_TOKEN_METADATA_KEY = "grpc-cfg-internal-call";

/** How a call really ended on the wire. */
export interface CallOutcome {
  /** True when the call ended without our status being sent (client cancel, deadline). */
  readonly cancelled: boolean;
  /** True when `cancelled` and the deadline had passed. */
  readonly deadlineExceeded: boolean;
  /** Status code sent to the client (null when cancelled). */
  readonly code: number | null;
  readonly details: string | null;
}

/** What the call pipeline learns about a call from the wire (see `CallOutcomes`). */
export interface ClaimedCall {
  /** The call's deadline (epoch ms), or null. */
  readonly deadline: number | null;
  /** The client's sane `x-request-id`, else a fresh UUID; sent back in the response header. */
  readonly requestId: string;
  /** Messages received from the client so far. */
  readonly requestMessages: number;
  /** Messages handed to grpc-js for sending so far. */
  readonly responseMessages: number;
  /**
   * True when the call ended before the pipeline saw it and was logged then (see
   * {@link UnhandledCall}): should grpc-js still start its handler afterwards, that run writes
   * no second record.
   */
  readonly preempted: boolean;
  /** Tells `listener` once the call has ended on the wire (at once if it already has). */
  whenEnded(listener: WireEndListener): void;
}

/**
 * A call that ended on the wire before the call pipeline saw it: a health or reflection call
 * (served outside the pipeline), or a call grpc-js answered itself (unknown method, message
 * over the size limit or not decodable, a second message to a unary method, deadline passed
 * while waiting), or one the client left first. The pipeline logs the last two kinds.
 */
export interface UnhandledCall {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  /** The client's sane `x-request-id`, else a fresh UUID (sent back in the response header). */
  readonly requestId: string;
  readonly requestMessages: number;
  readonly responseMessages: number;
  /** `performance.now()` when the interceptor saw the call. */
  readonly started: number;
  /** grpc-js's peer string, when the call's end was seen on its stream. */
  readonly peer: string | null;
  /** The request headers, when they arrived (first string value of a key). */
  header(key: string): string | undefined;
}

/** Who {@link ClaimedCall.whenEnded} tells: an object, not a closure (see `patchPrototype`). */
export interface WireEndListener {
  wireEnded(outcome: CallOutcome): void;
}

/** What a {@link WireCall} reports to: the `CallOutcomes` (call-outcome.ts) that made it. */
export interface WireCallOwner {
  /** The call's status went out. */
  statusSent(wire: WireCall): void;
  /** The call ended on the wire, as `outcome` says. */
  ended(wire: WireCall, outcome: CallOutcome): void;
}

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
 * True when `deadline` (epoch ms) has passed, give or take `slackMs`. The slack covers the
 * client enforcing the same deadline itself: its reset reaches us a little before our timer
 * fires, because our deadline counts from when its request arrived.
 */
export function deadlinePassed(deadline: number | null, slackMs = 100): boolean {
  return deadline !== null && Date.now() >= deadline - slackMs;
}

function deadlineOf(call: { getDeadline(): Date | number }): number | null {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : null;
}

type SentStatus = { code: number; details?: string; metadata?: Metadata | null };
/** grpc-js's innermost call, seen through the members the interceptor wraps. */
export type InnermostCall = ServerInterceptingCallInterface & {
  sendStatus(status: SentStatus): void;
  sendMetadata(metadata?: Metadata): void;
  sendMessage(message: unknown, callback: () => void): void;
};

export const WIRE = Symbol("grpc-cfg.wire");
/** A call the interceptor has seen: its {@link WireCall} rides on it under a symbol. */
export type WiredCall = InnermostCall & { [WIRE]?: WireCall };

/** One call as grpc-js sees it: its metadata, message counts, status and end. */
export class WireCall implements ClaimedCall, UnhandledCall {
  deadline: number | null = null;
  requestId = "";
  requestMessages = 0;
  responseMessages = 0;
  sent: { code: number; details: string } | null = null;
  /** When the status was sent (epoch ms), for the fallback sweep. */
  sentAt = 0;
  headerSent = false;
  outcome: CallOutcome | null = null;
  /** The call pipeline has seen the call (claimed it, or pinned it in the before-guard). */
  reached = false;
  preempted = false;
  peer: string | null = null;
  /** The request headers until a handler sees the call, for its record if none does. */
  metadata: Metadata | null = null;
  readonly started = performance.now();
  #listener: WireEndListener | null = null;

  constructor(
    readonly owner: WireCallOwner,
    readonly token: string,
    readonly path: string,
    readonly requestStream: boolean,
    readonly responseStream: boolean,
  ) {}

  header(key: string): string | undefined {
    const value = this.metadata?.get(key)[0];
    return typeof value === "string" ? value : undefined;
  }

  whenEnded(listener: WireEndListener): void {
    if (this.outcome !== null) listener.wireEnded(this.outcome);
    else this.#listener = listener;
  }

  /** Records how the call ended (the first answer wins) and tells the pipeline. */
  end(outcome: CallOutcome): void {
    if (this.outcome !== null) return;
    this.outcome = outcome;
    this.owner.ended(this, outcome);
    const listener = this.#listener;
    this.#listener = null;
    listener?.wireEnded(outcome);
  }

  /** Ends the call as its sent status says (it ended normally). */
  endAsSent(): void {
    const sent = this.sent!;
    this.end({ cancelled: false, deadlineExceeded: false, code: sent.code, details: sent.details });
  }
}

/** The listener the interceptor passes to grpc-js's `start`, around the one it was given. */
class WireListener implements StartListener {
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

  onReceiveHalfClose(): void {
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

const patchedPrototypes = new WeakSet<object>();

/**
 * Wraps `start`, `sendMetadata`, `sendMessage` and `sendStatus` on the prototype of grpc-js's
 * innermost call, once. grpc-js calls them through `this`, so its own statuses and default
 * headers pass through too. Calls without a {@link WireCall} (another server in the process
 * that has not our interceptor) go straight to grpc-js.
 *
 * Why the prototype and not a closure per call on the call object: a per-call function
 * stored on grpc-js's call kept each call's whole object graph alive through young-generation
 * collections (measured with `--trace-gc-nvp` on the benchmark: 7.8 KB promoted per call
 * instead of 3.0 with no interceptor), and the garbage collector was the largest cost of a call.
 */
export function patchPrototype(proto: InnermostCall): void {
  if (patchedPrototypes.has(proto)) return;
  patchedPrototypes.add(proto);
  const { start, sendMetadata, sendMessage, sendStatus } = proto;
  proto.start = function (this: WiredCall, listener: StartListener) {
    const wire = this[WIRE];
    start.call(this, wire === undefined ? listener : new WireListener(listener, this, wire));
  };
  proto.sendMetadata = function (this: WiredCall, metadata?: Metadata) {
    const wire = this[WIRE];
    if (wire === undefined) return sendMetadata.call(this, metadata);
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
