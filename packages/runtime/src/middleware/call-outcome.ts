import type { ServerInterceptingCall, ServerInterceptor } from "@grpc/grpc-js";
import type { CallContext } from "nice-grpc-common";
import { CALL_TOKEN_METADATA_KEY, WIRE, WireCall } from "./wire-call.js";
import { patchTimeoutHandlingEarly } from "./grpc-timeout.js";
import { patchPrototype } from "./wire-prototype.js";
import type {
  CallOutcome,
  ClaimedCall,
  InnermostCall,
  UnhandledCall,
  WireCallOwner,
  WiredCall,
} from "./wire-call.js";

export { CALL_TOKEN_METADATA_KEY, deadlinePassed } from "./wire-call.js";
export type { CallOutcome, ClaimedCall, UnhandledCall, WireEndListener } from "./wire-call.js";

/** Told about each call that ended before the call pipeline saw it (see {@link UnhandledCall}). */
export type UnhandledCallListener = (call: UnhandledCall, outcome: CallOutcome) => void;

// Unclaimed calls (health, reflection, calls refused before any handler ran) are forgotten
// 10–20 s after they end: one generation swap per interval instead of a timer per call.
const FORGET_UNCLAIMED_MS = 10_000;

// Fallback when grpc-js never reports the end of a call whose status we saw.
const SETTLE_AFTER_STATUS_MS = 5_000;

// A symbol-keyed own property: object spread copies it, and it is no header a client can send.
const PINNED_TOKEN = Symbol("grpc-cfg.call-token");
type PinnedContext = { [PINNED_TOKEN]?: string };

/** What a call is found by: its context's metadata, else what `CallOutcomes.pin` noted. */
type LinkedContext = Pick<CallContext, "metadata"> & { readonly signal?: AbortSignal };

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
 * under every header, message and status of every call. It hangs a {@link WireCall} on
 * grpc-js's innermost call object, whose methods it wraps once (`patchPrototype` in
 * wire-prototype.ts, which says why no closure is made per call, here or in the pipeline).
 */
export class CallOutcomes implements WireCallOwner {
  #counter = 0;
  readonly #pending = new Map<string, WireCall>();
  /** Tokens of calls that ended unclaimed, this generation and the one before. */
  #endedUnclaimed: string[] = [];
  #endedUnclaimedBefore: string[] = [];
  #generationStarted = Date.now();
  /** Calls whose status was sent and whose end grpc-js has not reported yet. */
  readonly #awaitingEnd = new Set<WireCall>();
  #sweeper: NodeJS.Timeout | null = null;
  #unhandled: UnhandledCallListener | null = null;
  /** Pinned calls by their context's signal, for `before` middleware that builds a new context. */
  readonly #bySignal = new WeakMap<AbortSignal, string>();

  constructor() {
    // grpc-js reads a call's grpc-timeout before any interceptor sees the call.
    patchTimeoutHandlingEarly();
  }

  /** Reports every call that ends before the pipeline sees it to `listener` (one listener). */
  onUnhandled(listener: UnhandledCallListener): void {
    this.#unhandled = listener;
  }

  /** Claims the call carrying `context`'s token (once), or null; strips the token. */
  claim(context: LinkedContext): ClaimedCall | null {
    const token = this.#tokenOf(context);
    if (token === null) return null;
    context.metadata.delete(CALL_TOKEN_METADATA_KEY);
    const claimed = this.#pending.get(token);
    if (claimed === undefined) return null;
    this.#pending.delete(token);
    claimed.reached = true;
    claimed.metadata = null;
    return claimed;
  }

  /**
   * Notes the call's token beside its metadata, for `before` middleware that hands `next` a
   * new Metadata (filtering or normalising headers): on the context itself, which a spread
   * into a new object copies, and by the context's signal, which a context built anew from
   * its parts still carries. Either way the pipeline finds the call's wire record.
   */
  pin(context: CallContext): void {
    const token = context.metadata.get(CALL_TOKEN_METADATA_KEY);
    if (typeof token !== "string") return;
    (context as PinnedContext)[PINNED_TOKEN] = token;
    this.#bySignal.set(context.signal, token);
    const wire = this.#pending.get(token);
    if (wire !== undefined) wire.reached = true;
  }

  /** True while the call carrying `context`'s token has not been claimed by a pipeline run. */
  isUnclaimed(context: LinkedContext): boolean {
    const token = this.#tokenOf(context);
    return token !== null && this.#pending.has(token);
  }

  /** The call's token: from its metadata, else as pinned (see {@link CallOutcomes.pin}). */
  #tokenOf(context: LinkedContext): string | null {
    const token = context.metadata.get(CALL_TOKEN_METADATA_KEY);
    if (typeof token === "string") return token;
    const pinned = (context as PinnedContext)[PINNED_TOKEN];
    if (pinned !== undefined) return pinned;
    return context.signal === undefined ? null : (this.#bySignal.get(context.signal) ?? null);
  }

  /** @internal A call's status went out: it is settled by the sweep if no end follows. */
  statusSent(wire: WireCall): void {
    this.#awaitingEnd.add(wire);
    if (this.#sweeper === null) {
      this.#sweeper = setInterval(() => this.#sweep(), SETTLE_AFTER_STATUS_MS);
      this.#sweeper.unref();
    }
  }

  /** @internal A call ended on the wire. */
  ended(wire: WireCall, outcome: CallOutcome): void {
    this.#awaitingEnd.delete(wire);
    const unhandled = this.#unhandled;
    if (!wire.reached && unhandled !== null) {
      wire.preempted = true;
      unhandled(wire, outcome);
    }
    wire.metadata = null;
    this.#forgetLater(wire.token);
  }

  // The fallback for grpc-js never reporting the end of a call whose status it sent.
  #sweep(): void {
    const due = Date.now() - SETTLE_AFTER_STATUS_MS;
    for (const wire of this.#awaitingEnd) {
      if (wire.sentAt > due) continue;
      this.#awaitingEnd.delete(wire);
      wire.endAsSent();
    }
    if (this.#awaitingEnd.size === 0 && this.#sweeper !== null) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
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
  readonly interceptor: ServerInterceptor = (method, intercepted) => {
    const call = intercepted as unknown as WiredCall;
    patchPrototype(Object.getPrototypeOf(call) as InnermostCall);
    const token = String(++this.#counter);
    const wire = new WireCall(
      call,
      this,
      token,
      method.path,
      method.requestStream,
      method.responseStream,
    );
    this.#pending.set(token, wire);
    call[WIRE] = wire;
    // grpc-js types an interceptor's result as its ServerInterceptingCall class, but only
    // uses the interface, which the call we were given implements.
    return call as unknown as ServerInterceptingCall;
  };
}
