import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { DescMethod, JsonValue, Message } from "@bufbuild/protobuf";
import type {
  CallOptions as GrpcCallOptions,
  Client,
  ClientReadableStream,
  ClientWritableStream,
  Metadata,
  ServiceError,
  StatusObject,
} from "@grpc/grpc-js";
import type { TypeSource } from "./any-types.js";
import { methodPath as path, parseRequest, responseToJson } from "./call-messages.js";
import type { JsonOutputOptions } from "./json-codec.js";
import { fromGrpcMetadata } from "./metadata.js";
import type { MetadataRecord } from "./metadata.js";
import { toGrpcCallError } from "./status-details.js";

/** Everything one call needs, resolved before it starts. */
export interface PreparedCall {
  client: Client;
  method: DescMethod;
  /** Message types: the server's, loaded as Any values name them, and the embedded ones. */
  types: TypeSource;
  metadata: Metadata;
  options: GrpcCallOptions;
  output: JsonOutputOptions;
  signal: AbortSignal | undefined;
}

/** Result of a call with one response (unary, client stream). */
export interface SingleResponse {
  response: JsonValue;
  headers: MetadataRecord;
  trailers: MetadataRecord;
}

/** Result of a call with a response stream (server stream, bidi). */
export interface ResponseStream {
  /** Responses as they arrive; throws GrpcCallError when the call ends with an error. */
  responses: AsyncIterable<JsonValue>;
  /** Response headers; resolves empty if the call ends before sending any. */
  headers: Promise<MetadataRecord>;
  /** Trailers; resolve when the call ends, whatever its status. */
  trailers: Promise<MetadataRecord>;
}

/** Request inputs of a streaming call, one JSON value per message. */
export type JsonStream = Iterable<JsonValue> | AsyncIterable<JsonValue>;

function codec(method: DescMethod) {
  return {
    serialize: (message: Message): Buffer => {
      const bytes = toBinary(method.input, message);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes: Buffer): Message => fromBinary(method.output, bytes),
  };
}

/** A unary call with an already-parsed request. */
export function callUnary(call: PreparedCall, request: Message): Promise<SingleResponse> {
  const { serialize, deserialize } = codec(call.method);
  return singleResponse(call, (callback) =>
    call.client.makeUnaryRequest(
      path(call.method),
      serialize,
      deserialize,
      request,
      call.metadata,
      call.options,
      callback,
    ),
  );
}

/** A client-streaming call; requests are parsed as they are sent. */
export function callClientStream(
  call: PreparedCall,
  requests: JsonStream,
): Promise<SingleResponse> {
  const { serialize, deserialize } = codec(call.method);
  return singleResponse(
    call,
    (callback) =>
      call.client.makeClientStreamRequest(
        path(call.method),
        serialize,
        deserialize,
        call.metadata,
        call.options,
        callback,
      ),
    requests,
  );
}

/** A server-streaming call with an already-parsed request. */
export function callServerStream(call: PreparedCall, request: Message): ResponseStream {
  const { serialize, deserialize } = codec(call.method);
  const stream = call.client.makeServerStreamRequest(
    path(call.method),
    serialize,
    deserialize,
    request,
    call.metadata,
    call.options,
  );
  return responseStream(call, stream, undefined);
}

/** A bidi call: requests are sent while responses are read. */
export function callBidiStream(call: PreparedCall, requests: JsonStream): ResponseStream {
  const { serialize, deserialize } = codec(call.method);
  const stream = call.client.makeBidiStreamRequest(
    path(call.method),
    serialize,
    deserialize,
    call.metadata,
    call.options,
  );
  return responseStream(call, stream, (state) => sendAll(call, stream, requests, state));
}

/** What the request pump and the response side share. */
interface CallState {
  ended: boolean;
  /** Set when our own input failed; reported instead of the CANCELLED it causes. */
  inputError: unknown;
  endedPromise: Promise<void>;
}

type Callback = (error: ServiceError | null, response?: Message) => void;
type SurfaceCall = ClientWritableStream<Message> | ReturnType<Client["makeUnaryRequest"]>;

function singleResponse(
  call: PreparedCall,
  start: (callback: Callback) => SurfaceCall,
  requests?: JsonStream,
): Promise<SingleResponse> {
  return new Promise((resolve, reject) => {
    let response: Message | undefined;
    let failure: ServiceError | null = null;
    let headers: Metadata | undefined;
    const surface = start((error, message) => {
      failure = error;
      response = message;
    });
    const state = trackEnd(surface);
    cancelOnAbort(call.signal, surface, state);
    surface.on("metadata", (metadata: Metadata) => (headers = metadata));
    // This runs inside a grpc-js event: anything it throws would escape every caller and
    // end the process, so each failure goes to reject().
    surface.on("status", (status: StatusObject) => {
      if (state.inputError !== undefined) return reject(state.inputError);
      const message = response;
      const settle = async (): Promise<SingleResponse> => {
        if (failure || !message) {
          const received = fromGrpcMetadata(headers);
          throw toGrpcCallError(failure ?? noResponse(status), call.types.registry, received);
        }
        return {
          response: await responseToJson(call, message),
          headers: fromGrpcMetadata(headers),
          trailers: fromGrpcMetadata(status.metadata),
        };
      };
      settle().then(resolve, reject);
    });
    if (requests) void sendAll(call, surface as ClientWritableStream<Message>, requests, state);
  });
}

function responseStream(
  call: PreparedCall,
  stream: ClientReadableStream<Message>,
  send: ((state: CallState) => Promise<void>) | undefined,
): ResponseStream {
  const state = trackEnd(stream);
  cancelOnAbort(call.signal, stream, state);
  const headers = new Promise<MetadataRecord>((resolve) => {
    stream.on("metadata", (metadata: Metadata) => resolve(fromGrpcMetadata(metadata)));
    void state.endedPromise.then(() => resolve({}));
  });
  const trailers = new Promise<MetadataRecord>((resolve) => {
    stream.on("status", (status: StatusObject) => resolve(fromGrpcMetadata(status.metadata)));
  });
  // Errors surface through the iterator; this listener only keeps Node from treating an
  // 'error' event nobody has subscribed to yet as a crash.
  stream.on("error", () => undefined);
  if (send) void send(state);
  async function* read(): AsyncGenerator<JsonValue> {
    try {
      for await (const message of stream as AsyncIterable<Message>) {
        yield await responseToJson(call, message);
      }
    } catch (error) {
      if (state.inputError !== undefined) throw state.inputError;
      // The call has ended, so `headers` has settled (empty when none came).
      throw isServiceError(error)
        ? toGrpcCallError(error, call.types.registry, await headers)
        : error;
    } finally {
      if (!state.ended) stream.cancel(); // The caller stopped reading early.
    }
    if (state.inputError !== undefined) throw state.inputError;
  }
  return { responses: read(), headers, trailers };
}

/**
 * Parses and writes every request, honouring backpressure, then half-closes. Stops pulling
 * requests as soon as the call ends (say, the server failed it early): the input may be a
 * terminal that would otherwise be read forever.
 */
async function sendAll(
  call: PreparedCall,
  stream: ClientWritableStream<Message>,
  requests: JsonStream,
  state: CallState,
): Promise<void> {
  const iterator =
    Symbol.asyncIterator in requests
      ? requests[Symbol.asyncIterator]()
      : requests[Symbol.iterator]();
  const ended = state.endedPromise.then(() => ({ done: true, value: undefined }) as const);
  try {
    for (let index = 0; ; index++) {
      const next = await Promise.race([iterator.next(), ended]);
      if (next.done || state.ended) break;
      const request = await parseRequest(call, next.value, index);
      if (state.ended) break;
      if (!stream.write(request)) {
        await Promise.race([new Promise((resolve) => stream.once("drain", resolve)), ended]);
      }
    }
    if (!state.ended) stream.end();
  } catch (error) {
    state.inputError = error;
    stream.cancel();
  } finally {
    if (state.ended) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

function trackEnd(surface: {
  on(event: "status", listener: (status: StatusObject) => void): unknown;
}): CallState {
  const state: CallState = { ended: false, inputError: undefined, endedPromise: Promise.resolve() };
  state.endedPromise = new Promise((resolve) => {
    surface.on("status", () => {
      state.ended = true;
      resolve();
    });
  });
  return state;
}

function cancelOnAbort(
  signal: AbortSignal | undefined,
  surface: { cancel(): void },
  state: CallState,
): void {
  if (!signal) return;
  const abort = () => surface.cancel();
  if (signal.aborted) return abort();
  signal.addEventListener("abort", abort, { once: true });
  void state.endedPromise.then(() => signal.removeEventListener("abort", abort));
}

function noResponse(status: StatusObject): ServiceError {
  return Object.assign(new Error(status.details), status);
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === "number";
}
