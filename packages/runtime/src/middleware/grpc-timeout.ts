import { createRequire } from "node:module";
import { status as Status } from "@grpc/grpc-js";
import type { Metadata } from "@grpc/grpc-js";

// The server's reading of the `grpc-timeout` request header, per the gRPC spec, instead of
// grpc-js's. grpc-js (1.14) reads it with an unanchored /(\d{1,8})\s*([HMSmun])/ and
// truncates the milliseconds to int32 with `| 0`: a timeout of 2^31 ms (about 24.8 days) or
// more wraps negative, and the call fails with DEADLINE_EXCEEDED after a millisecond (grpc-go
// sends `2592000S` for a 30-day context); `300000000n` is read as its last 8 digits (0), and
// `-1S` as `1S`. grpc-js's own client treats a timeout this long as no deadline at all.

/** `TimeoutValue TimeoutUnit`: at most 8 ASCII digits, then one unit letter, nothing else. */
const TIMEOUT_HEADER = /^(\d{1,8})([HMSmun])$/;

const UNIT_MS: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1_000,
  m: 1,
  u: 0.001,
  n: 0.000_001,
};

/** Node's timers (and grpc-js's `| 0`) hold at most this many milliseconds. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Milliseconds a `grpc-timeout` value allows: `Infinity` for more than {@link MAX_TIMEOUT_MS}
 * (no deadline, as grpc-js's client treats such timeouts), null when the value is not valid.
 * Sub-millisecond timeouts round down to 0: the deadline has passed on arrival.
 */
export function parseGrpcTimeout(value: string): number | null {
  const match = TIMEOUT_HEADER.exec(value);
  if (match === null) return null;
  const ms = Math.floor(Number(match[1]) * (UNIT_MS[match[2] as string] as number));
  return ms > MAX_TIMEOUT_MS ? Infinity : ms;
}

/** The members of grpc-js's `BaseServerInterceptingCall` its deadline handling uses. */
interface DeadlineCall {
  deadline: number;
  deadlineTimer: NodeJS.Timeout | null;
  sendStatus(status: { code: number; details: string; metadata: Metadata | null }): void;
  handleTimeoutHeader(value: { toString(): string }): void;
}

// Module-level, with the call as the timer's argument: no closure per call (see patchPrototype).
function deadlineExceeded(call: DeadlineCall): void {
  call.sendStatus({ code: Status.DEADLINE_EXCEEDED, details: "Deadline exceeded", metadata: null });
}

/**
 * grpc-js's `handleTimeoutHeader` with the spec's reading of the value (see
 * {@link parseGrpcTimeout}). grpc-js calls it from its call's constructor, before any
 * interceptor sees the call. An invalid value gets grpc-js's own answer: INTERNAL
 * `Invalid grpc-timeout value "…"`, sent once the constructor is done.
 */
function handleTimeoutHeader(this: DeadlineCall, header: { toString(): string }): void {
  const value = header.toString();
  const timeout = parseGrpcTimeout(value);
  if (timeout === null) {
    const details = `Invalid grpc-timeout value "${value}"`;
    process.nextTick(() => this.sendStatus({ code: Status.INTERNAL, details, metadata: null }));
    return;
  }
  if (timeout === Infinity) return;
  this.deadline = Date.now() + timeout;
  this.deadlineTimer = setTimeout(deadlineExceeded, timeout, this);
}

const patched = new WeakSet<object>();

/**
 * Replaces `handleTimeoutHeader` on the prototype of grpc-js's innermost server call, once.
 * Affects every grpc-js server in the process that shares this prototype. Does nothing when
 * grpc-js has no such method (a version that reads the header differently).
 */
export function patchTimeoutHandling(proto: object): void {
  if (patched.has(proto)) return;
  patched.add(proto);
  const target = proto as Partial<DeadlineCall>;
  if (typeof target.handleTimeoutHeader === "function") {
    target.handleTimeoutHeader = handleTimeoutHeader;
  }
}

/**
 * Patches grpc-js's server call class before its first call: its constructor reads the
 * header, so patching the prototype when the interceptor first sees a call would be one call
 * late. The class is not in grpc-js's public exports; it is loaded from the file this copy of
 * grpc-js keeps it in (1.10–1.14). If that fails, `patchPrototype` still patches it at the
 * first call.
 */
export function patchTimeoutHandlingEarly(): void {
  try {
    const require = createRequire(import.meta.url);
    const module = require("@grpc/grpc-js/build/src/server-interceptors.js") as {
      BaseServerInterceptingCall?: { prototype?: object };
    };
    const proto = module.BaseServerInterceptingCall?.prototype;
    if (typeof proto === "object" && proto !== null) patchTimeoutHandling(proto);
  } catch {
    // A grpc-js laid out differently: the first call patches it (see above).
  }
}
