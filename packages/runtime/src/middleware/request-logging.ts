import type { ServerMiddleware } from "nice-grpc-common";
import { ServerError, Status } from "nice-grpc-common";
import { RichServerError } from "nice-grpc-error-details";
import type { CallKind } from "../contracts/method-table.js";
import type { RequestLogRecord, RequestLogSink, RequestStatus } from "../contracts/request-log.js";
import { resolveClientAddress } from "../context/metadata.js";
import { toServerError } from "../errors/map-error.js";
import type { Logger } from "../logging/logger.js";
import { serializeError } from "../logging/logger.js";
import type { CallOutcome, CallOutcomes } from "./call-outcome.js";
import {
  CALL_TOKEN_METADATA_KEY,
  DEADLINE_METADATA_KEY,
  deadlinePassed,
  readDeadline,
} from "./call-outcome.js";
import type { CallState, CallStateExt, RequestIdExt, RouteResolver } from "./call-state.js";
import type { CallTracker } from "./call-tracker.js";

/** Options of {@link createRequestLoggingMiddleware}. */
export interface RequestLoggingOptions {
  readonly sinks: readonly RequestLogSink[];
  readonly resolveRoute: RouteResolver;
  /** Proxies whose `x-forwarded-for` is believed. */
  readonly trustedProxies: readonly string[];
  readonly logger: Logger;
  readonly tracker: CallTracker;
  /** How calls really ended (from the grpc-js interceptor). Without it, the signal decides. */
  readonly outcomes?: CallOutcomes;
}

function callKindOf(requestStream: boolean, responseStream: boolean): CallKind {
  if (requestStream) return responseStream ? "bidi" : "client-stream";
  return responseStream ? "server-stream" : "unary";
}

function splitPath(path: string): { service: string; method: string } {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return { service: match?.[1] ?? path, method: match?.[2] ?? "" };
}

async function* countMessages<T>(source: AsyncIterable<T>, state: CallState): AsyncIterable<T> {
  for await (const message of source) {
    state.requestMessages++;
    yield message;
  }
}

type Outcome = Pick<RequestLogRecord, "status" | "grpcCode" | "errorMessage">;

function statusOfCode(code: number): RequestStatus {
  if (code === Status.OK) return "success";
  if (code === Status.CANCELLED) return "cancelled";
  if (code === Status.DEADLINE_EXCEEDED) return "timeout";
  return "error";
}

/** The record's outcome: the wire outcome when known, else what the handler did. */
function outcomeOf(
  wire: CallOutcome | null,
  failure: ServerError | null,
  aborted: boolean,
  timedOut: boolean,
): Outcome {
  const cancelled = wire ? wire.cancelled : aborted;
  const deadline = wire ? wire.deadlineExceeded : timedOut;
  if (cancelled) {
    return deadline
      ? { status: "timeout", grpcCode: Status.DEADLINE_EXCEEDED, errorMessage: "Deadline exceeded" }
      : { status: "cancelled", grpcCode: Status.CANCELLED, errorMessage: "Cancelled by client" };
  }
  if (wire && wire.code !== null) {
    const message = wire.code === Status.OK ? null : (failure?.details ?? wire.details);
    return { status: statusOfCode(wire.code), grpcCode: wire.code, errorMessage: message };
  }
  if (failure === null) return { status: "success", grpcCode: Status.OK, errorMessage: null };
  return {
    status: statusOfCode(failure.code),
    grpcCode: failure.code,
    errorMessage: failure.details,
  };
}

/**
 * Second middleware: hands exactly one {@link RequestLogRecord} per call to every sink,
 * whatever the outcome (auth rejection, failure, cancel, deadline), with message counts in
 * both directions. Creates the per-call {@link CallState} that auth fills in later, so
 * records are attributed although this runs before auth. Errors that reach it unmapped (from
 * middleware outside error mapping) are mapped here, so the client and the log agree. The
 * record is written once grpc-js reports how the call ended (see {@link CallOutcomes}).
 */
export function createRequestLoggingMiddleware(
  options: RequestLoggingOptions,
): ServerMiddleware<CallStateExt, RequestIdExt> {
  const { sinks, resolveRoute, trustedProxies, logger, tracker } = options;
  const emit = (record: RequestLogRecord) => {
    for (const sink of sinks) {
      try {
        sink.write(record);
      } catch (error) {
        logger.error("request log sink threw", { error: serializeError(error) });
      }
    }
  };
  return async function* requestLogging(call, context) {
    const finished = tracker.start();
    const wire = options.outcomes?.claim(context) ?? null;
    const startedAt = new Date();
    const started = performance.now();
    const deadline = readDeadline(context);
    // Internal keys from the interceptor: handlers need not see them.
    context.metadata.delete(CALL_TOKEN_METADATA_KEY);
    context.metadata.delete(DEADLINE_METADATA_KEY);
    const state: CallState = {
      route: resolveRoute(call.method.path),
      clientAddress: resolveClientAddress(context, trustedProxies),
      deadline,
      identity: null,
      requestMessages: call.requestStream ? 0 : 1,
      responseMessages: 0,
      errorDetails: null,
    };
    let failure: ServerError | null = null;
    const request = call.requestStream ? countMessages(call.request, state) : call.request;
    const inner = call.next(request, { ...context, callState: state });
    let done = false;
    try {
      for (;;) {
        const step = await inner.next();
        if (step.done) {
          done = true;
          if (!call.responseStream) state.responseMessages = 1;
          return step.value;
        }
        state.responseMessages++;
        yield step.value;
      }
    } catch (error) {
      done = true;
      failure = toServerError(error, {
        requestId: context.requestId,
        path: call.method.path,
        route: state.route,
        logger,
        deadlineExceeded: deadlinePassed(deadline),
      });
      if (failure instanceof RichServerError) state.errorDetails = failure.extra;
      throw failure;
    } finally {
      if (!done) await inner.return(undefined as never);
      const aborted = context.signal.aborted;
      const timedOut = aborted && deadlinePassed(deadline);
      const write = (outcome: CallOutcome | null) => {
        const { service, method } = state.route
          ? { service: state.route.service, method: state.route.policy.name }
          : splitPath(call.method.path);
        const identity = state.identity;
        const routeKind = state.route?.policy.callKind;
        const result = outcomeOf(outcome, failure, aborted, timedOut);
        // A unary response counts only if it reached the client.
        if (!call.responseStream && result.grpcCode !== Status.OK) state.responseMessages = 0;
        emit({
          requestId: context.requestId,
          service,
          method,
          path: call.method.path,
          callKind: routeKind ?? callKindOf(call.requestStream, call.responseStream),
          ...result,
          errorDetails: state.errorDetails,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
          userId: identity?.user.id ?? null,
          apiKeyId: identity?.apiKey?.id ?? null,
          authenticated: identity !== null,
          authMethod: identity?.method ?? null,
          clientAddress: state.clientAddress,
          requestMessages: state.requestMessages,
          responseMessages: state.responseMessages,
          startedAt,
          completedAt: new Date(),
        });
        finished();
      };
      if (wire) void wire.then(write);
      else write(null);
    }
  };
}
