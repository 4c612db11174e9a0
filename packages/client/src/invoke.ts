import type { JsonValue } from "@bufbuild/protobuf";
import { callBidiStream, callClientStream, callServerStream, callUnary } from "./call-kinds.js";
import { parseRequest } from "./call-messages.js";
import type { JsonStream, PreparedCall, ResponseStream, SingleResponse } from "./call-kinds.js";
import { describeMethod } from "./describe.js";
import type { MethodDescription } from "./describe.js";
import { DynamicClientError } from "./errors.js";

/** A call's input: one JSON value, or a stream of them for client-streaming and bidi methods. */
export type InvokeInput = JsonValue | JsonStream;

/** Outcome of a unary or client-streaming call. */
export interface SingleResponseResult<
  Kind extends "unary" | "client_streaming" = "unary" | "client_streaming",
> extends SingleResponse {
  kind: Kind;
  method: MethodDescription;
}

/** A server-streaming or bidi call in progress. */
export interface StreamingResult<
  Kind extends "server_streaming" | "bidi_streaming" = "server_streaming" | "bidi_streaming",
> extends ResponseStream {
  kind: Kind;
  method: MethodDescription;
}

/**
 * What `invoke` returns; switch on `kind`. One member per kind, so that checks such as
 * `kind === "unary" || kind === "client_streaming"` narrow it.
 */
export type InvokeResult =
  | SingleResponseResult<"unary">
  | SingleResponseResult<"client_streaming">
  | StreamingResult<"server_streaming">
  | StreamingResult<"bidi_streaming">;

function isStream(input: InvokeInput): input is JsonStream {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    // A JSON array is a stream only for streaming methods; see below.
    return Array.isArray(input);
  }
  return Symbol.asyncIterator in input || Symbol.iterator in input;
}

/**
 * Runs a call of any kind. Unary and server-streaming requests are parsed before anything is
 * sent, so bad JSON never reaches the server; streamed requests are parsed as they are sent.
 */
export async function invokeMethod(call: PreparedCall, input: InvokeInput): Promise<InvokeResult> {
  const method = describeMethod(call.method);
  const kind = call.method.methodKind;
  const streamingInput = kind === "client_streaming" || kind === "bidi_streaming";
  if (streamingInput && !isStream(input)) {
    throw new DynamicClientError(
      "wrong-call-kind",
      `${method.path} is ${kind.replace("_", "-")}: give an iterable of request messages`,
    );
  }
  if (!streamingInput && isStream(input) && !Array.isArray(input)) {
    throw new DynamicClientError(
      "wrong-call-kind",
      `${method.path} is ${kind.replace("_", "-")}: give one request message, not a stream`,
    );
  }
  switch (kind) {
    case "unary":
      return {
        kind,
        method,
        ...(await callUnary(call, await parseRequest(call, input as JsonValue))),
      };
    case "server_streaming":
      return {
        kind,
        method,
        ...callServerStream(call, await parseRequest(call, input as JsonValue)),
      };
    case "client_streaming":
      return { kind, method, ...(await callClientStream(call, input as JsonStream)) };
    case "bidi_streaming":
      return { kind, method, ...callBidiStream(call, input as JsonStream) };
  }
}
