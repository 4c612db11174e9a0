import { randomUUID } from "node:crypto";
import type { CallContext, ServerMiddleware } from "nice-grpc-common";
import type { RequestIdExt } from "./call-state.js";

/** Metadata key carrying the request id in both directions. */
export const REQUEST_ID_HEADER = "x-request-id";

// Bounded length and charset: the id lands in logs and response headers, so a client must
// not be able to inject separators, control characters or megabytes.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

/** The client's `x-request-id` when sane, else a fresh UUID. */
export function pickRequestId(context: Pick<CallContext, "metadata">): string {
  const sent = context.metadata.get(REQUEST_ID_HEADER);
  return typeof sent === "string" && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** First middleware: assigns the request id and echoes it in the response header. */
export const requestIdMiddleware: ServerMiddleware<RequestIdExt> = async function* (call, context) {
  const requestId = pickRequestId(context);
  context.header.set(REQUEST_ID_HEADER, requestId);
  return yield* call.next(call.request, { ...context, requestId });
};
