import { Status } from "nice-grpc-common";
import type {
  LoggedCallKind,
  RequestLogRecord,
  RequestLogSink,
  RequestStatus,
} from "../contracts/request-log.js";
import type { Logger } from "../logging/logger.js";
import { serializeError } from "../logging/logger.js";
import type { ServerError } from "nice-grpc-common";
import type { CallOutcome, UnhandledCall } from "./call-outcome.js";
import type { CallState, RouteInfo } from "./call-state.js";

/** What the call pipeline knows about a call when its log record is written. */
export interface FinishedCall {
  readonly requestId: string;
  readonly path: string;
  readonly responseStream: boolean;
  readonly state: CallState;
  /** Epoch ms and `performance.now()` when the call entered the pipeline. */
  readonly startedAt: number;
  readonly started: number;
  /** What the pipeline threw to the client, if anything. */
  readonly failure: ServerError | null;
  /** The call's signal had fired when the handler finished. */
  readonly aborted: boolean;
  /** `aborted` and the deadline had passed by then. */
  readonly timedOut: boolean;
  /** Cancelled by the server's forced shutdown, not by the client. */
  readonly cancelledByServer: boolean;
}

function splitPath(path: string): { service: string; method: string } {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return { service: match?.[1] ?? path, method: match?.[2] ?? "" };
}

/**
 * A call's service, method and kind: from its route, else split from the path it was sent to.
 * Every served method has a route; a call without one asked for a method the server does not
 * have, which grpc-js answers through a bidi handler whatever the client meant, so its kind
 * is `unknown`.
 */
function namesOf(
  route: RouteInfo | null,
  path: string,
): { service: string; method: string; callKind: LoggedCallKind } {
  if (route)
    return { service: route.service, method: route.policy.name, callKind: route.policy.callKind };
  return { ...splitPath(path), callKind: "unknown" };
}

type Outcome = Pick<RequestLogRecord, "status" | "grpcCode" | "errorMessage">;

function statusOfCode(code: number): RequestStatus {
  if (code === Status.OK) return "success";
  if (code === Status.CANCELLED) return "cancelled";
  if (code === Status.DEADLINE_EXCEEDED) return "timeout";
  return "error";
}

const SUCCESS: Outcome = { status: "success", grpcCode: Status.OK, errorMessage: null };

const SHUTDOWN_CANCEL = "Cancelled by server shutdown (grace period over)";

/** The record's outcome: the wire outcome when known, else what the handler did. */
function outcomeOf(wire: CallOutcome | null, call: FinishedCall): Outcome {
  const { failure } = call;
  const cancelled = wire ? wire.cancelled : call.aborted;
  const deadline = wire ? wire.deadlineExceeded : call.timedOut;
  // Shutdown answered the call UNAVAILABLE (see CallRun.interrupt): still a cancel by the server.
  const interrupted = call.cancelledByServer && wire?.code === Status.UNAVAILABLE;
  if (cancelled || interrupted) {
    if (deadline)
      return {
        status: "timeout",
        grpcCode: Status.DEADLINE_EXCEEDED,
        errorMessage: "Deadline exceeded",
      };
    return {
      status: "cancelled",
      grpcCode: interrupted ? Status.UNAVAILABLE : Status.CANCELLED,
      errorMessage: call.cancelledByServer ? SHUTDOWN_CANCEL : "Cancelled by client",
    };
  }
  if (wire && wire.code !== null) {
    if (wire.code === Status.OK) return SUCCESS;
    // A status of a different code is grpc-js's own (an invalid grpc-timeout, a response over
    // the size limit), sent while the handler ran: its message is what the client got, not
    // the handler's (often the cancel that status caused).
    const message = failure !== null && failure.code === wire.code ? failure.details : wire.details;
    return { status: statusOfCode(wire.code), grpcCode: wire.code, errorMessage: message };
  }
  if (failure === null) return SUCCESS;
  return {
    status: statusOfCode(failure.code),
    grpcCode: failure.code,
    errorMessage: failure.details,
  };
}

/**
 * Builds the one {@link RequestLogRecord} of a finished call. `wire` is how grpc-js says the
 * call ended (null when unknown: then the handler's result and the signal decide).
 */
export function buildRequestLogRecord(
  call: FinishedCall,
  wire: CallOutcome | null,
): RequestLogRecord {
  const { state } = call;
  const { service, method, callKind } = namesOf(state.route, call.path);
  const identity = state.identity;
  const result = outcomeOf(wire, call);
  const elapsed = performance.now() - call.started;
  return {
    requestId: call.requestId,
    service,
    method,
    path: call.path,
    callKind,
    ...result,
    errorDetails: state.errorDetails,
    durationMs: Math.round(elapsed * 1000) / 1000,
    userId: identity?.user.id ?? null,
    apiKeyId: identity?.apiKey?.id ?? null,
    authenticated: identity !== null,
    authMethod: identity?.method ?? null,
    clientAddress: state.clientAddress,
    requestMessages: state.requestMessages,
    // A unary response counts only if it reached the client.
    responseMessages:
      !call.responseStream && result.grpcCode !== Status.OK ? 0 : state.responseMessages,
    startedAt: new Date(call.startedAt),
    completedAt: new Date(),
  };
}

/**
 * The record of a call the pipeline never saw (see {@link UnhandledCall}): no identity (no
 * authenticator ran), the status grpc-js sent or the client's cancel. A path no service
 * serves is split into service and method as the client sent it; its call kind is unknown
 * and recorded as grpc-js treated the call.
 */
export function buildUnhandledCallRecord(
  call: UnhandledCall,
  outcome: CallOutcome,
  route: RouteInfo | null,
  clientAddress: string | null,
): RequestLogRecord {
  const state: CallState = {
    route,
    clientAddress,
    deadline: null,
    identity: null,
    requestMessages: call.requestMessages,
    responseMessages: call.responseMessages,
    errorDetails: null,
  };
  const finished: FinishedCall = {
    requestId: call.requestId,
    path: call.path,
    responseStream: call.responseStream,
    state,
    startedAt: Date.now() - (performance.now() - call.started),
    started: call.started,
    failure: null,
    aborted: false,
    timedOut: false,
    cancelledByServer: false,
  };
  return buildRequestLogRecord(finished, outcome);
}

/** Hands a record to every sink; a throwing sink is logged and never breaks the call. */
export function createRecordEmitter(
  sinks: readonly RequestLogSink[],
  logger: Logger,
): (record: RequestLogRecord) => void {
  return (record) => {
    for (const sink of sinks) {
      try {
        sink.write(record);
      } catch (error) {
        logger.error("request log sink threw", { error: serializeError(error) });
      }
    }
  };
}
