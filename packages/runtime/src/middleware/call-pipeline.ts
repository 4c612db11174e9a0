import { ServerError, Status } from "nice-grpc-common";
import type { CallContext, ServerMiddleware, ServerMiddlewareCall } from "nice-grpc-common";
import { errorDetailsServerMiddleware, RichServerError } from "nice-grpc-error-details";
import type { ServiceContextExt } from "../context/service-context.js";
import { createClientAddressResolver } from "../context/metadata.js";
import type { DatabaseProvider } from "../contracts/database.js";
import type { Authenticator } from "../contracts/identity.js";
import type { RequestLogSink } from "../contracts/request-log.js";
import { toServerError } from "../errors/map-error.js";
import type { Logger } from "../logging/logger.js";
import { createCallAuthenticator } from "./authentication.js";
import type { CallOutcome, CallOutcomes } from "./call-outcome.js";
import { CALL_TOKEN_METADATA_KEY, deadlinePassed } from "./call-outcome.js";
import type { CallState, CallStateExt, RequestIdExt, RouteResolver } from "./call-state.js";
import type { CallTracker } from "./call-tracker.js";
import { pickRequestId, REQUEST_ID_HEADER } from "./request-id.js";
import { buildRequestLogRecord, countMessages, createRecordEmitter } from "./request-logging.js";
import { createServiceContextFactory } from "./service-context.js";

/** Options of {@link createCallPipelineMiddleware}. */
export interface CallPipelineOptions {
  /** Receive one record per call. */
  readonly sinks: readonly RequestLogSink[];
  readonly resolveRoute: RouteResolver;
  /** Proxies whose `x-forwarded-for` is believed. */
  readonly trustedProxies: readonly string[];
  /** Tried in order; the first non-null answer wins. */
  readonly authenticators: readonly Authenticator[];
  /** Metadata key holding an API key. Default `x-api-key`. */
  readonly apiKeyHeader?: string;
  /** Null when the server runs without a database: `ctx.db` then throws a clear error. */
  readonly database: DatabaseProvider | null;
  readonly logger: Logger;
  readonly tracker: CallTracker;
  /** True once the server drains for shutdown: new calls are refused with UNAVAILABLE. */
  readonly isDraining: () => boolean;
  /** How calls really ended (from the grpc-js interceptor). Without it, the signal decides. */
  readonly outcomes?: CallOutcomes;
}

/** What handlers (and `after` middleware) find in their context. */
export type PipelineContextExt = ServiceContextExt & CallStateExt & RequestIdExt;

/**
 * Sets `grpc-status-details-bin` for a rich error, with nice-grpc-error-details' own encoder:
 * its middleware is run over a one-step call that throws the error. Only failing calls with
 * details pay for this, instead of every call passing through one more generator layer.
 */
async function setErrorDetailsTrailer(
  call: ServerMiddlewareCall<unknown, unknown, object>,
  context: CallContext,
  error: RichServerError,
): Promise<void> {
  const failing = async function* (): AsyncGenerator<never, never> {
    throw error;
  };
  await errorDetailsServerMiddleware({ ...call, next: failing }, context)
    .next()
    .catch(() => undefined);
}

/**
 * The runtime's built-in middleware as ONE nice-grpc middleware, so a call and each of its
 * stream messages pass through one async generator instead of seven. In order, with the same
 * semantics as the separate layers it replaces:
 *
 * 1. request id: the client's sane `x-request-id` or a fresh UUID, echoed in the header;
 * 2. request log: exactly one {@link RequestLogRecord} per call to every sink, whatever the
 *    outcome, written once grpc-js reports how the call ended (see {@link CallOutcomes});
 * 3. drain guard: UNAVAILABLE while the server shuts down (logged like any refusal);
 * 4. authentication and authorization from the method's policy (see `createCallAuthenticator`);
 * 5. the handler's context (user, key, db, bound logger, policy, client address);
 * 6. error mapping: whatever the handler throws becomes a proper gRPC status (see
 *    `toServerError`), and rich error details go into `grpc-status-details-bin`.
 */
export function createCallPipelineMiddleware(
  options: CallPipelineOptions,
): ServerMiddleware<PipelineContextExt> {
  const { resolveRoute, logger, tracker, isDraining, outcomes } = options;
  const emit = createRecordEmitter(options.sinks, logger);
  const clientAddressOf = createClientAddressResolver(options.trustedProxies);
  const authenticate = createCallAuthenticator({
    authenticators: options.authenticators,
    logger,
    ...(options.apiKeyHeader === undefined ? {} : { apiKeyHeader: options.apiKeyHeader }),
  });
  const serviceContextOf = createServiceContextFactory({ database: options.database, logger });

  return async function* grpcCfgPipeline<Request, Response>(
    call: ServerMiddlewareCall<Request, Response, PipelineContextExt>,
    context: CallContext,
  ): AsyncGenerator<Response, Response | void, undefined> {
    const requestId = pickRequestId(context);
    context.header.set(REQUEST_ID_HEADER, requestId);
    const path = call.method.path;
    const finished = tracker.start();
    const claimed = outcomes?.claim(context) ?? null;
    const startedAt = Date.now();
    const started = performance.now();
    const deadline = claimed?.deadline ?? null;
    // The internal token from the interceptor: handlers need not see it.
    context.metadata.delete(CALL_TOKEN_METADATA_KEY);
    const route = resolveRoute(path);
    const state: CallState = {
      route,
      clientAddress: clientAddressOf(context),
      deadline,
      identity: null,
      requestMessages: call.requestStream ? 0 : 1,
      responseMessages: 0,
      errorDetails: null,
    };
    let failure: ServerError | null = null;
    let inner: AsyncGenerator<Response, Response | void, undefined> | null = null;
    let done = false;
    try {
      if (isDraining()) throw new ServerError(Status.UNAVAILABLE, "Server is shutting down");
      const identity =
        route === null ? null : await authenticate(route, context, path, requestId, state);
      const request = call.requestStream ? countMessages(call.request, state) : call.request;
      inner = call.next(request, {
        ...context,
        callState: state,
        ...serviceContextOf(path, route, identity, requestId, state.clientAddress),
      });
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
        requestId,
        path,
        route,
        logger,
        deadlineExceeded: deadlinePassed(deadline),
      });
      if (failure instanceof RichServerError) {
        state.errorDetails = failure.extra;
        await setErrorDetailsTrailer(call, context, failure);
      }
      throw failure;
    } finally {
      if (!done && inner !== null) await inner.return(undefined);
      const aborted = context.signal.aborted;
      const finishedCall = {
        requestId,
        path,
        requestStream: call.requestStream,
        responseStream: call.responseStream,
        state,
        startedAt,
        started,
        failure,
        aborted,
        timedOut: aborted && deadlinePassed(deadline),
      };
      const write = (wire: CallOutcome | null) => {
        emit(buildRequestLogRecord(finishedCall, wire));
        finished();
      };
      if (claimed) void claimed.outcome.then(write);
      else write(null);
    }
  };
}
