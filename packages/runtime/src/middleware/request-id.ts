import { randomUUID } from "node:crypto";
import type { CallContext } from "nice-grpc-common";

/** Metadata key carrying the request id in both directions. */
export const REQUEST_ID_HEADER = "x-request-id";

// Bounded length and charset: the id lands in logs and response headers, so a client must
// not be able to inject separators, control characters or megabytes.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

/** `sent` when it is a sane request id (a string of 1–128 safe characters), else a fresh UUID. */
export function saneRequestId(sent: unknown): string {
  return typeof sent === "string" && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** The client's `x-request-id` when sane, else a fresh UUID. */
export function pickRequestId(context: Pick<CallContext, "metadata">): string {
  return saneRequestId(context.metadata.get(REQUEST_ID_HEADER));
}
