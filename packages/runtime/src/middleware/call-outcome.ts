import { Metadata } from "@grpc/grpc-js";
import type {
  ServerInterceptingCall,
  ServerInterceptingCallInterface,
  ServerInterceptor,
} from "@grpc/grpc-js";
import type { CallContext } from "nice-grpc-common";
import { REQUEST_ID_HEADER, saneRequestId } from "./request-id.js";

/** The listener grpc-js hands to `start` (its `InterceptingServerListener`, not exported). */
type StartListener = Parameters<ServerInterceptingCallInterface["start"]>[0];

/** Internal metadata key: the call's deadline. No longer sent; stripped if a client sends it. */
export const DEADLINE_METADATA_KEY = "grpc-cfg-internal-deadline";
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

/** What the call pipeline learns about a call from the wire (see {@link CallOutcomes}). */
export interface ClaimedCall {
  /** The call's deadline (epoch ms), or null. */
  readonly deadline: number | null;
  /** The client's sane `x-request-id`, else a fresh UUID; sent back in the response header. */
  readonly requestId: string;
  /** Messages received from the client so far. */
  readonly requestMessages: number;
  /** Messages handed to grpc-js for sending so far. */
  readonly responseMessages: number;
  /** Calls `callback` once the call has ended on the wire (at once if it already has). */
  whenEnded(callback: (outcome: CallOutcome) => void): void;
}

// Unclaimed calls (health, reflection, calls refused before any handler ran) are forgotten
// 10–20 s after they end: one generation swap per interval instead of a timer per call.
const FORGET_UNCLAIMED_MS = 10_000;

// Fallback when grpc-js never reports the end of a call whose status we saw.
const SETTLE_AFTER_STATUS_MS = 5_000;

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
type InnermostCall = ServerInterceptingCallInterface & {
  sendStatus(status: SentStatus): void;
  sendMetadata(metadata?: Metadata): void;
  sendMessage(message: unknown, callback: () => void): void;
};

/** One call as grpc-js sees it: its metadata, message counts, status and end. */
class WireCall implements ClaimedCall {
  deadline: number | null = null;
  requestId = "";
  requestMessages = 0;
  responseMessages = 0;
  sent: { code: number; details: string } | null = null;
  headerSent = false;
  outcome: CallOutcome | null = null;
  fallback: NodeJS.Timeout | undefined = undefined;
  #callback: ((outcome: CallOutcome) => void) | null = null;

  whenEnded(callback: (outcome: CallOutcome) => void): void {
    if (this.outcome !== null) callback(this.outcome);
    else this.#callback = callback;
  }

  /** Records how the call ended (the first answer wins) and tells the pipeline. */
  end(outcome: CallOutcome): boolean {
    if (this.outcome !== null) return false;
    this.outcome = outcome;
    clearTimeout(this.fallback);
    const callback = this.#callback;
    this.#callback = null;
    callback?.(outcome);
    return true;
  }
}

/**
 * Learns from grpc-js how each call really ended, and does the per-call work that is cheapest
 * at the wire. nice-grpc's context cannot tell how a call ended: its signal is not aborted
 * when the stream closes before the cancel event (a client cancelling a bidi stream looks
 * like success), and grpc-js strips `grpc-timeout` so a deadline looks like a cancel.
 *
 * The grpc-js interceptor, for every call: picks the request id and sends it in the response
 * header; counts messages in both directions (no generator step per message in the
 * pipeline); sees every status grpc-js sends, its own included (deadline exceeded, response
 * too large), which never pass through interceptors; and tags the call's metadata with a
 * token (replacing anything a client sent under that key), by which the pipeline claims it.
 *
 * It does not wrap the call in a grpc-js `ServerInterceptingCall`: that layer would sit
 * under every header, message and status of every call. It swaps the listener passed to
 * `start` and wraps three methods of grpc-js's innermost call object, which grpc-js calls
 * through `this` (so its own statuses and default headers pass through them too).
 */
export class CallOutcomes {
  #counter = 0;
  readonly #pending = new Map<string, WireCall>();
  /** Tokens of calls that ended unclaimed, this generation and the one before. */
  #endedUnclaimed: string[] = [];
  #endedUnclaimedBefore: string[] = [];
  #generationStarted = Date.now();

  /** Claims the call carrying `context`'s token (once), or null; strips the token. */
  claim(context: Pick<CallContext, "metadata">): ClaimedCall | null {
    const token = context.metadata.get(CALL_TOKEN_METADATA_KEY);
    if (typeof token !== "string") return null;
    context.metadata.delete(CALL_TOKEN_METADATA_KEY);
    const claimed = this.#pending.get(token) ?? null;
    this.#pending.delete(token);
    return claimed;
  }

  #forgetLater(token: string): void {
    if (!this.#pending.has(token)) return;
    const now = Date.now();
    if (now - this.#generationStarted >= FORGET_UNCLAIMED_MS) {
      for (const old of this.#endedUnclaimedBefore) this.#pending.delete(old);
      this.#endedUnclaimedBefore = this.#endedUnclaimed;
      this.#endedUnclaimed = [];
      this.#generationStarted = now;
    }
    this.#endedUnclaimed.push(token);
  }

  /** The grpc-js server interceptor that observes every call. */
  readonly interceptor: ServerInterceptor = (_method, intercepted) => {
    const call = intercepted as unknown as InnermostCall;
    const token = String(++this.#counter);
    const wire = new WireCall();
    this.#pending.set(token, wire);
    const end = (outcome: CallOutcome) => {
      if (wire.end(outcome)) this.#forgetLater(token);
    };
    const { sendStatus, sendMetadata, sendMessage, start } = call;
    call.sendMetadata = function (this: InnermostCall, metadata?: Metadata) {
      const headers = metadata ?? new Metadata();
      if (wire.requestId !== "") headers.set(REQUEST_ID_HEADER, wire.requestId);
      wire.headerSent = true;
      sendMetadata.call(this, headers);
    };
    call.sendMessage = function (this: InnermostCall, message: unknown, callback: () => void) {
      wire.responseMessages++;
      sendMessage.call(this, message, callback);
    };
    call.sendStatus = function (this: InnermostCall, status: SentStatus) {
      if (wire.sent === null) {
        wire.sent = { code: status.code, details: status.details ?? "" };
        wire.fallback = setTimeout(
          () => end({ cancelled: false, deadlineExceeded: false, ...wire.sent! }),
          SETTLE_AFTER_STATUS_MS,
        );
        wire.fallback.unref();
      }
      // A status with no header before it would go out trailers-only, without the request id.
      if (!wire.headerSent && wire.requestId !== "") this.sendMetadata();
      sendStatus.call(this, status);
    };
    call.start = (listener: StartListener) =>
      start.call(call, {
        onReceiveMetadata: (metadata) => {
          metadata.remove(CALL_TOKEN_METADATA_KEY);
          metadata.remove(DEADLINE_METADATA_KEY);
          metadata.set(CALL_TOKEN_METADATA_KEY, token);
          wire.deadline = deadlineOf(call);
          wire.requestId = saneRequestId(metadata.get(REQUEST_ID_HEADER)[0]);
          listener.onReceiveMetadata(metadata);
        },
        onReceiveMessage: (message: unknown) => {
          wire.requestMessages++;
          listener.onReceiveMessage(message);
        },
        onReceiveHalfClose: () => listener.onReceiveHalfClose(),
        // grpc-js reports "cancel" at the end of every call, normal or not; the stream's
        // reset code tells them apart. A client cancel can look like a half-close followed
        // by a normal status (its request stream ends, the handler returns), so the status
        // alone is not enough.
        onCancel: () => {
          if (resetCode(call) === 0 && wire.sent !== null) {
            end({ cancelled: false, deadlineExceeded: false, ...wire.sent });
          } else {
            const deadlineExceeded = deadlinePassed(deadlineOf(call));
            end({ cancelled: true, deadlineExceeded, code: null, details: null });
          }
          listener.onCancel();
        },
      });
    // grpc-js types an interceptor's result as its ServerInterceptingCall class, but only
    // uses the interface, which the call we were given implements.
    return call as unknown as ServerInterceptingCall;
  };
}
