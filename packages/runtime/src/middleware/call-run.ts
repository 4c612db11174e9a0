import { ServerError, Status } from "nice-grpc-common";
import type { CallContext, MethodDescriptor } from "nice-grpc-common";
import { errorDetailsServerMiddleware, RichServerError } from "nice-grpc-error-details";
import type { ErrorDetails } from "nice-grpc-error-details";
import type { ClientAddressResolver } from "../context/metadata.js";
import type { Identity } from "../contracts/identity.js";
import type { RequestLogRecord } from "../contracts/request-log.js";
import type { DatabaseEndpoint } from "../errors/database-endpoints.js";
import { toServerError } from "../errors/map-error.js";
import type { Logger } from "../logging/logger.js";
import type { CallAuthenticator } from "./authentication.js";
import type { CallOutcome, CallOutcomes, ClaimedCall, WireEndListener } from "./call-outcome.js";
import { deadlinePassed } from "./call-outcome.js";
import type { CallState, RouteInfo } from "./call-state.js";
import type { CallTracker, TrackedCall } from "./call-tracker.js";
import { pickRequestId } from "./request-id.js";
import type { FinishedCall } from "./request-logging.js";
import { buildRequestLogRecord } from "./request-logging.js";
import type { HandlerContext, HandlerContextFactory } from "./service-context.js";

/** The status details of a call shutdown interrupts (see {@link CallRun.interrupt}). */
const SHUTDOWN_STATUS = "Server shutting down";

/** What every call of one server shares: the pipeline's steps, built once. */
export interface PipelineSteps {
  readonly emit: (record: RequestLogRecord) => void;
  readonly clientAddressOf: ClientAddressResolver;
  readonly authenticate: CallAuthenticator;
  readonly contextOf: HandlerContextFactory;
  readonly logger: Logger;
  readonly tracker: CallTracker;
  readonly isDraining: () => boolean;
  readonly outcomes: CallOutcomes;
  /** The errors runs have mapped and logged (see `createBeforeGuard`). */
  readonly failures: WeakSet<object>;
  /** Where the configured database listens (see `ErrorMappingContext.databaseEndpoints`). */
  readonly databaseEndpoints: readonly DatabaseEndpoint[];
}

/**
 * One call through the pipeline, from the moment the handler is invoked until its log
 * record is written. It is the call's {@link CallState} (shared with the handler as
 * `ctx.callState`) and the {@link FinishedCall} its record is built from, so a call costs
 * one object here. Message counts come from the wire (see {@link CallOutcomes}).
 */
export class CallRun implements CallState, FinishedCall, WireEndListener, TrackedCall {
  readonly route: RouteInfo | null;
  readonly clientAddress: string | null;
  readonly deadline: number | null;
  identity: Identity | null = null;
  errorDetails: readonly ErrorDetails[] | null = null;
  readonly requestId: string;
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly startedAt: number;
  readonly started: number;
  failure: ServerError | null = null;
  aborted = false;
  timedOut = false;
  cancelledByServer = false;
  readonly #steps: PipelineSteps;
  readonly #method: MethodDescriptor;
  readonly #wire: ClaimedCall | null;
  #ended = false;
  #written = false;

  constructor(
    steps: PipelineSteps,
    route: RouteInfo | null,
    method: MethodDescriptor,
    context: CallContext,
  ) {
    this.#steps = steps;
    this.#method = method;
    steps.tracker.start(this);
    const wire = steps.outcomes.claim(context);
    this.#wire = wire;
    this.startedAt = Date.now();
    this.started = performance.now();
    this.route = route;
    this.path = method.path;
    this.requestStream = method.requestStream;
    this.responseStream = method.responseStream;
    this.deadline = wire?.deadline ?? null;
    this.requestId = wire?.requestId ?? pickRequestId(context);
    this.clientAddress = steps.clientAddressOf(context);
  }

  get state(): CallState {
    return this;
  }

  get requestMessages(): number {
    return this.#wire?.requestMessages ?? (this.requestStream ? 0 : 1);
  }

  get responseMessages(): number {
    if (this.#wire) return this.#wire.responseMessages;
    return !this.responseStream && this.failure === null && this.#ended ? 1 : 0;
  }

  /**
   * The steps before the handler: drain guard (UNAVAILABLE while the server shuts down),
   * authentication and authorization from the method's policy, then the handler's context.
   * Synchronous unless an authenticator answers asynchronously (a key not in the cache);
   * throws or rejects with the ServerError to send.
   */
  enter(context: CallContext): HandlerContext | Promise<HandlerContext> {
    const steps = this.#steps;
    if (steps.isDraining()) throw new ServerError(Status.UNAVAILABLE, "Server is shutting down");
    // Auth writes the identity into this call state; the context is built from it.
    if (this.route !== null) {
      const authenticated = steps.authenticate(
        this.route,
        context,
        this.path,
        this.requestId,
        this,
      );
      if (authenticated instanceof Promise) {
        return authenticated.then(() => steps.contextOf(context, this, this.path, this.requestId));
      }
    }
    return steps.contextOf(context, this, this.path, this.requestId);
  }

  /**
   * Error mapping: whatever the handler (or a step) threw becomes a proper gRPC status (see
   * `toServerError`); rich error details go into `grpc-status-details-bin`. Returns the
   * error to throw to nice-grpc.
   */
  async fail(error: unknown, context: CallContext): Promise<ServerError> {
    const steps = this.#steps;
    const failure = toServerError(error, {
      requestId: this.requestId,
      path: this.path,
      route: this.route,
      logger: steps.logger,
      deadlineExceeded: deadlinePassed(this.deadline),
      signal: context.signal,
      shuttingDown: steps.tracker.cancelling,
      databaseEndpoints: steps.databaseEndpoints,
    });
    this.failure = failure;
    steps.failures.add(failure);
    if (failure instanceof RichServerError) {
      this.errorDetails = failure.extra;
      await setErrorDetailsTrailer(this.#method, context, failure);
    }
    return failure;
  }

  /**
   * The handler is done (returned, threw or was closed): writes the call's one log record
   * once grpc-js reports how the call ended on the wire. Idempotent.
   */
  end(context: CallContext): void {
    if (this.#ended) return;
    this.#ended = true;
    this.aborted = context.signal.aborted;
    this.timedOut = this.aborted && deadlinePassed(this.deadline);
    // Set already when shutdown interrupted the call.
    this.cancelledByServer ||= this.aborted && this.#steps.tracker.cancelling;
    if (this.#wire) this.#wire.whenEnded(this);
    else this.#write(null);
  }

  /**
   * Shutdown's grace period is over: the client is answered UNAVAILABLE (`Server shutting
   * down`, retryable, as grpc-go's `Stop` answers) before the connections close, which would
   * reach it as CANCELLED. The record still says the server cancelled the call.
   */
  interrupt(): boolean {
    if (this.#wire === null || !this.#wire.interrupt(Status.UNAVAILABLE, SHUTDOWN_STATUS)) {
      return false;
    }
    this.cancelledByServer = true;
    return true;
  }

  /**
   * Shutdown cancelled the call and its handler has not returned (it ignores its signal):
   * the record is written now, as cancelled by the server, before the sinks close.
   */
  abandon(): void {
    if (this.#written) return;
    // A handler that returned and waits only for the wire's end keeps what it found then.
    if (!this.#ended) {
      this.#ended = true;
      this.aborted = true;
      this.timedOut = deadlinePassed(this.deadline);
      this.cancelledByServer = true;
    }
    this.#write(this.#wire?.outcome ?? null);
  }

  /** The call ended on the wire after the handler finished: writes its log record. */
  wireEnded(outcome: CallOutcome): void {
    this.#write(outcome);
  }

  #write(outcome: CallOutcome | null): void {
    if (this.#written) return;
    this.#written = true;
    if (this.#wire?.preempted !== true) this.#steps.emit(buildRequestLogRecord(this, outcome));
    this.#steps.tracker.finish(this);
  }
}

/**
 * Sets `grpc-status-details-bin` for a rich error, with nice-grpc-error-details' own encoder:
 * its middleware is run over a one-step call that throws the error. Only failing calls with
 * details pay for this.
 */
async function setErrorDetailsTrailer(
  method: MethodDescriptor,
  context: CallContext,
  error: RichServerError,
): Promise<void> {
  const failing = async function* (): AsyncGenerator<never, never> {
    throw error;
  };
  const call = {
    method,
    requestStream: method.requestStream,
    responseStream: method.responseStream,
    request: undefined,
    next: failing,
  };
  await errorDetailsServerMiddleware(call as never, context)
    .next()
    .catch(() => undefined);
}
