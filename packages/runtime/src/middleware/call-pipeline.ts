import type { CallContext, MethodDescriptor, ServerMiddleware } from "nice-grpc-common";
import { createClientAddressResolver } from "../context/metadata.js";
import type { DatabaseProvider } from "../contracts/database.js";
import type { Authenticator } from "../contracts/identity.js";
import type { RequestLogSink } from "../contracts/request-log.js";
import type { DatabaseEndpoint } from "../errors/database-endpoints.js";
import type { Logger } from "../logging/logger.js";
import type { MethodHandler } from "./after-chain.js";
import { createBeforeGuard } from "./before-guard.js";
import { composeAfterChain, singleResponse } from "./after-chain.js";
import { createCallAuthenticator } from "./authentication.js";
import type { CallOutcomes, UnhandledCallListener } from "./call-outcome.js";
import type { PipelineSteps } from "./call-run.js";
import { CallRun } from "./call-run.js";
import type { RouteInfo } from "./call-state.js";
import type { CallTracker } from "./call-tracker.js";
import { isAsyncIterable } from "./is-async-iterable.js";
import { PipelineStream } from "./pipeline-stream.js";
import { buildUnhandledCallRecord, createRecordEmitter } from "./request-logging.js";
import { RequestStream } from "./request-stream.js";
import { createHandlerContextFactory } from "./service-context.js";
import type { FailureLimitOptions } from "./auth-failure-limit.js";

const sameRequest = (request: unknown): unknown => request;

/** A streamed request as the handler reads it: throws when the call ends (see RequestStream). */
const requestStreamOf = (request: unknown, context: CallContext): unknown =>
  isAsyncIterable(request) ? new RequestStream(request, context.signal) : request;

/** Options of {@link createCallPipeline}. */
export interface CallPipelineOptions {
  /** Receive one record per call. */
  readonly sinks: readonly RequestLogSink[];
  /** Proxies whose `x-forwarded-for` is believed. */
  readonly trustedProxies: readonly string[];
  /** Tried in order; the first non-null answer wins. */
  readonly authenticators: readonly Authenticator[];
  /** Metadata key holding an API key. Default `x-api-key`. */
  readonly apiKeyHeader?: string;
  /** Per-address limit on failed credentials (config `auth.failureLimit`). */
  readonly failureLimit?: FailureLimitOptions;
  /** Null when the server runs without a database: `ctx.db` then throws a clear error. */
  readonly database: DatabaseProvider | null;
  readonly logger: Logger;
  readonly tracker: CallTracker;
  /** True once the server drains for shutdown: new calls are refused with UNAVAILABLE. */
  readonly isDraining: () => boolean;
  /** How calls really ended, request ids and message counts (from the grpc-js interceptor). */
  readonly outcomes: CallOutcomes;
  /** User middleware run between the pipeline and the handler. */
  readonly after: readonly ServerMiddleware<object, object>[];
  /** True when user middleware runs before the pipeline (its context members are kept). */
  readonly hasBefore: boolean;
  /** Where the configured database listens, to tell its connection errors from others'. */
  readonly databaseEndpoints?: readonly DatabaseEndpoint[];
}

/** Puts methods behind the runtime's built-in steps. */
export interface CallPipeline {
  /** The nice-grpc implementation of one method: `handler` behind the pipeline. */
  wrap(route: RouteInfo | null, method: MethodDescriptor, handler: MethodHandler): MethodHandler;
  /**
   * The middleware to put outside the user's `before` middleware: maps and logs what they
   * throw (see {@link createBeforeGuard}).
   */
  beforeGuard(routeOf: (path: string) => RouteInfo | null): ServerMiddleware<object, object>;
  /**
   * Logs the calls that end before the pipeline sees them (grpc-js answered them itself, or
   * the client left first): one record each, like every other call. Paths for which
   * `unlogged` is true (health, reflection) are skipped.
   */
  unhandledCalls(
    routeOf: (path: string) => RouteInfo | null,
    unlogged: (path: string) => boolean,
  ): UnhandledCallListener;
}

/**
 * The runtime's built-in steps, wrapped around each method's handler rather than run as
 * nice-grpc middleware: without user `before` middleware nice-grpc then calls the wrapped
 * handler directly, and a call passes through no async generator of ours. In order:
 *
 * 1. request id: picked by the grpc-js interceptor (the client's sane `x-request-id` or a
 *    fresh UUID), which also echoes it in the response header;
 * 2. request log: exactly one {@link RequestLogRecord} per call to every sink, whatever the
 *    outcome, written once grpc-js reports how the call ended (see {@link CallOutcomes});
 * 3. drain guard: UNAVAILABLE while the server shuts down (logged like any refusal);
 * 4. authentication and authorization from the method's policy (see `createCallAuthenticator`);
 * 5. the handler's context (user, key, db, bound logger, policy, client address);
 * 6. error mapping: whatever the handler throws becomes a proper gRPC status (see
 *    `toServerError`), and rich error details go into `grpc-status-details-bin`;
 * 7. the user's `after` middleware, then the handler.
 *
 * User `before` middleware run outside all of this, behind {@link CallPipeline.beforeGuard}.
 */
export function createCallPipeline(options: CallPipelineOptions): CallPipeline {
  const { logger } = options;
  const steps: PipelineSteps = {
    emit: createRecordEmitter(options.sinks, logger),
    clientAddressOf: createClientAddressResolver(options.trustedProxies),
    authenticate: createCallAuthenticator({
      authenticators: options.authenticators,
      logger,
      ...(options.apiKeyHeader === undefined ? {} : { apiKeyHeader: options.apiKeyHeader }),
      ...(options.failureLimit === undefined ? {} : { failureLimit: options.failureLimit }),
    }),
    contextOf: createHandlerContextFactory({
      database: options.database,
      logger,
      keepExtraMembers: options.hasBefore,
    }),
    logger,
    tracker: options.tracker,
    isDraining: options.isDraining,
    outcomes: options.outcomes,
    failures: new WeakSet(),
    databaseEndpoints: options.databaseEndpoints ?? [],
  };

  return {
    beforeGuard: (routeOf) => createBeforeGuard(steps, routeOf),
    unhandledCalls: (routeOf, unlogged) => (call, outcome) => {
      if (unlogged(call.path)) return;
      const clientAddress = steps.clientAddressOf({
        peer: call.peer ?? "",
        metadata: { get: (key) => call.header(key) },
      });
      steps.emit(buildUnhandledCallRecord(call, outcome, routeOf(call.path), clientAddress));
    },
    wrap(route, method, handler) {
      const chain = composeAfterChain(options.after, method, handler);
      const input = method.requestStream ? requestStreamOf : sameRequest;
      if (method.responseStream) {
        const open = chain
          ? (request: unknown) => (context: CallContext) => chain(input(request, context), context)
          : (request: unknown) => (context: CallContext) =>
              (handler(input(request, context), context) as AsyncIterable<unknown>)[
                Symbol.asyncIterator
              ]();
        return (request, context) =>
          new PipelineStream(new CallRun(steps, route, method, context), context, open(request));
      }
      const respond = chain
        ? (request: unknown, context: CallContext) => singleResponse(chain(request, context))
        : handler;
      return async (request, context) => {
        const run = new CallRun(steps, route, method, context);
        try {
          const entered = run.enter(context);
          const ctx = entered instanceof Promise ? await entered : entered;
          return await respond(input(request, ctx), ctx);
        } catch (error) {
          throw await run.fail(error, context);
        } finally {
          run.end(context);
        }
      };
    },
  };
}
