import type { Metadata } from "@grpc/grpc-js";
import type { ServerInterceptingCallInterface } from "@grpc/grpc-js";

// One call as grpc-js sees it. The wrappers on grpc-js's call prototype that feed it are in
// wire-prototype.ts; the bookkeeping across calls (claiming, forgetting, the settle sweep) is
// CallOutcomes' in call-outcome.ts.

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
  /** How the call ended on the wire, once it has. */
  readonly outcome: CallOutcome | null;
  /** Tells `listener` once the call has ended on the wire (at once if it already has). */
  whenEnded(listener: WireEndListener): void;
  /**
   * Sends `code` and `details` as the call's status now, whatever its handler is doing,
   * unless a status went out or the call ended already; true when sent. Shutdown answers the
   * calls still running at the end of its grace period this way.
   */
  interrupt(code: number, details: string): boolean;
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
 * True when `deadline` (epoch ms) has passed, give or take `slackMs`. The slack covers the
 * client enforcing the same deadline itself: its reset reaches us a little before our timer
 * fires, because our deadline counts from when its request arrived.
 */
export function deadlinePassed(deadline: number | null, slackMs = 100): boolean {
  return deadline !== null && Date.now() >= deadline - slackMs;
}

/** A status as grpc-js's `sendStatus` takes it. */
export type SentStatus = { code: number; details?: string; metadata?: Metadata | null };
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
  /** grpc-js's innermost call, until the call ends (for {@link interrupt}). */
  #call: InnermostCall | null;

  constructor(
    call: InnermostCall,
    readonly owner: WireCallOwner,
    readonly token: string,
    readonly path: string,
    readonly requestStream: boolean,
    readonly responseStream: boolean,
  ) {
    this.#call = call;
  }

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
    this.#call = null;
    this.owner.ended(this, outcome);
    const listener = this.#listener;
    this.#listener = null;
    listener?.wireEnded(outcome);
  }

  interrupt(code: number, details: string): boolean {
    const call = this.#call;
    if (call === null || this.sent !== null || this.outcome !== null) return false;
    // Through the wrapped prototype method: the status is recorded like any other.
    call.sendStatus({ code, details, metadata: null });
    return true;
  }

  /** Ends the call as its sent status says (it ended normally). */
  endAsSent(): void {
    const sent = this.sent!;
    this.end({ cancelled: false, deadlineExceeded: false, code: sent.code, details: sent.details });
  }
}
