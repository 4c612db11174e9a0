import type {
  ServerInterceptingCall,
  ServerInterceptingCallInterface,
  ServerInterceptor,
} from "@grpc/grpc-js";

/** The listener grpc-js hands to `start` (its `InterceptingServerListener`, not exported). */
type StartListener = Parameters<ServerInterceptingCallInterface["start"]>[0];
import type { CallContext } from "nice-grpc-common";

/** Internal metadata key: the call's deadline. No longer sent; stripped if a client sends it. */
export const DEADLINE_METADATA_KEY = "grpc-cfg-internal-deadline";
/** Internal metadata key: token linking the call to its {@link CallOutcome}. */
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

/** What the logging step gets when it claims a call: its deadline and how it will end. */
export interface ClaimedCall {
  /** The call's deadline (epoch ms), or null. */
  readonly deadline: number | null;
  readonly outcome: Promise<CallOutcome>;
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
 * Calls `onStatus` with every status grpc-js is asked to send on this call: ours, and the
 * ones grpc-js sends by itself (deadline exceeded, response too large), which never pass
 * through interceptors. Wraps `sendStatus` of grpc-js's innermost call object, which grpc-js
 * calls through `this`.
 */
function observeStatus(
  call: object,
  onStatus: (status: { code: number; details: string }) => void,
): void {
  const target = call as { sendStatus?: unknown };
  const original = target.sendStatus;
  if (typeof original !== "function") return;
  target.sendStatus = function (this: unknown, status: { code: number; details?: string }) {
    onStatus({ code: status.code, details: status.details ?? "" });
    return (original as (s: unknown) => unknown).call(this, status);
  };
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

/**
 * Learns from grpc-js how each call really ended. nice-grpc's context cannot tell: its
 * signal is not aborted when the stream closes before the cancel event (a client cancelling a
 * bidi stream looks like success), and grpc-js strips `grpc-timeout` so a deadline looks like a
 * cancel. The grpc-js interceptor tags each call's metadata with a token (replacing anything a
 * client sent under that key); the logging step claims the call by token, reads its deadline
 * and writes its record once the outcome is known.
 *
 * The interceptor does not wrap the call in a grpc-js `ServerInterceptingCall`: that layer
 * would sit under every header, message and status of every call. It only swaps the
 * listener passed to `start` (to see the metadata and the end of the call) and `sendStatus`.
 */
export class CallOutcomes {
  #counter = 0;
  readonly #pending = new Map<string, ClaimedCall>();
  /** Tokens of calls that ended unclaimed, this generation and the one before. */
  #endedUnclaimed: string[] = [];
  #endedUnclaimedBefore: string[] = [];
  #generationStarted = Date.now();

  /** Claims the call carrying `context`'s token (once), or null. */
  claim(context: Pick<CallContext, "metadata">): ClaimedCall | null {
    const token = context.metadata.get(CALL_TOKEN_METADATA_KEY);
    if (typeof token !== "string") return null;
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
  readonly interceptor: ServerInterceptor = (_method, call) => {
    const token = String(++this.#counter);
    let settle: (outcome: CallOutcome) => void = () => {};
    let settled = false;
    const outcome = new Promise<CallOutcome>((resolve) => (settle = resolve));
    const entry: { deadline: number | null; outcome: Promise<CallOutcome> } = {
      deadline: null,
      outcome,
    };
    this.#pending.set(token, entry);
    const finish = (result: CallOutcome) => {
      if (settled) return;
      settled = true;
      settle(result);
      this.#forgetLater(token);
    };
    let sent: { code: number; details: string } | null = null;
    let fallback: NodeJS.Timeout | undefined;
    observeStatus(call, (status) => {
      if (sent !== null) return;
      sent = status;
      fallback = setTimeout(
        () => finish({ cancelled: false, deadlineExceeded: false, ...status }),
        SETTLE_AFTER_STATUS_MS,
      );
      fallback.unref();
    });
    const start = call.start;
    call.start = (listener: StartListener) =>
      start.call(call, {
        onReceiveMetadata: (metadata) => {
          metadata.remove(CALL_TOKEN_METADATA_KEY);
          metadata.remove(DEADLINE_METADATA_KEY);
          metadata.set(CALL_TOKEN_METADATA_KEY, token);
          entry.deadline = deadlineOf(call);
          listener.onReceiveMetadata(metadata);
        },
        onReceiveMessage: (message: unknown) => listener.onReceiveMessage(message),
        onReceiveHalfClose: () => listener.onReceiveHalfClose(),
        // grpc-js reports "cancel" at the end of every call, normal or not; the stream's
        // reset code tells them apart. A client cancel can look like a half-close followed
        // by a normal status (its request stream ends, the handler returns), so the status
        // alone is not enough.
        onCancel: () => {
          clearTimeout(fallback);
          if (resetCode(call) === 0 && sent !== null) {
            finish({ cancelled: false, deadlineExceeded: false, ...sent });
          } else {
            const deadlineExceeded = deadlinePassed(deadlineOf(call));
            finish({ cancelled: true, deadlineExceeded, code: null, details: null });
          }
          listener.onCancel();
        },
      });
    // grpc-js types an interceptor's result as its ServerInterceptingCall class, but only
    // uses the interface, which the call we were given implements.
    return call as ServerInterceptingCall;
  };
}
