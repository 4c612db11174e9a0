/**
 * Client (b): plain @grpc/grpc-js built from the shop's FileDescriptorSet only (proto-loader
 * `loadFileDescriptorSetFromBuffer` + `grpc.loadPackageDefinition`), no ts-proto code. Fields
 * keep their proto names (`user_id`), int64s are strings. Every call gets its own
 * `x-request-id` and is noted in the {@link CallLedger}.
 */
import * as grpc from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { descriptorSet } from "../../examples/shop/src/gen/grpc-cfg.descriptor.js";
import type { CallLedger, Caller } from "./call-ledger.js";
import { badRequestFields, decodeStatus } from "./rpc-status.js";

/** A message as proto-loader decodes it. */
export type JsonMessage = Record<string, unknown>;

/** A failed call: status, message and the BadRequest fields from the status details. */
export interface CallFailure {
  readonly code: number;
  readonly message: string;
  readonly violations: string[];
}

/** What a call ended with. */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CallFailure };

const packageDefinition = loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSet), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
});
const loaded = grpc.loadPackageDefinition(packageDefinition);

function serviceClient(fullName: string): grpc.ServiceClientConstructor {
  let node: unknown = loaded;
  for (const part of fullName.split("."))
    node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "function") throw new Error(`${fullName} is not in the descriptor set`);
  return node as grpc.ServiceClientConstructor;
}

/** Calls any shop method by service and method name, with JSON messages. */
export class GrpcJsShop {
  readonly #address: string;
  readonly #ledger: CallLedger;
  readonly #clients = new Map<string, grpc.Client>();

  constructor(address: string, ledger: CallLedger) {
    this.#address = address;
    this.#ledger = ledger;
  }

  /** A unary call. */
  unary(
    service: string,
    method: string,
    request: JsonMessage,
    caller: Caller,
  ): Promise<Outcome<JsonMessage>> {
    const { client, def, metadata, settle } = this.#start(service, method, caller);
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        metadata,
        (error, response) => resolve(settle(error, response as JsonMessage)),
      );
    });
  }

  /** A server-streaming call, read to the end. */
  serverStream(
    service: string,
    method: string,
    request: JsonMessage,
    caller: Caller,
  ): Promise<Outcome<JsonMessage[]>> {
    const { client, def, metadata, settle } = this.#start(service, method, caller);
    const stream = client.makeServerStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      metadata,
    );
    return collectStream(stream, settle);
  }

  /** A client-streaming call: sends every request, then half-closes. */
  clientStream(
    service: string,
    method: string,
    requests: JsonMessage[],
    caller: Caller,
  ): Promise<Outcome<JsonMessage>> {
    const { client, def, metadata, settle } = this.#start(service, method, caller);
    return new Promise((resolve) => {
      const call = client.makeClientStreamRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        metadata,
        (error, response) => resolve(settle(error, response as JsonMessage)),
      );
      for (const request of requests) call.write(request);
      call.end();
    });
  }

  /** A bidi call: each request is written only after the reply to the previous one arrived. */
  async bidi(
    service: string,
    method: string,
    requests: JsonMessage[],
    caller: Caller,
  ): Promise<Outcome<JsonMessage[]>> {
    const { client, def, metadata, settle } = this.#start(service, method, caller);
    const call = client.makeBidiStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      metadata,
    );
    const done = collectStream(call, settle);
    let received = 0;
    for (const request of requests) {
      const reply = new Promise<boolean>((resolve) => {
        call.once("data", () => resolve(true));
        call.once("error", () => resolve(false));
        call.once("end", () => resolve(false));
      });
      call.write(request);
      if (!(await reply)) break;
      received += 1;
    }
    call.end();
    const outcome = await done;
    return outcome.ok && outcome.value.length !== received
      ? {
          ok: false,
          error: {
            code: -1,
            message: "reply count changed after the stream ended",
            violations: [],
          },
        }
      : outcome;
  }

  /**
   * A unary call of any path with raw request bytes: for methods the shop does not have and
   * bytes no serializer would write. Resolves to the status the client saw.
   */
  raw(path: string, request: Uint8Array, caller: Caller): Promise<{ code: number }> {
    let client = this.#clients.get("");
    if (!client) {
      client = new grpc.Client(this.#address, grpc.credentials.createInsecure());
      this.#clients.set("", client);
    }
    const { metadata, record } = this.#ledgered(path, caller);
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        path,
        (bytes: Uint8Array) => Buffer.from(bytes),
        (bytes: Buffer) => bytes,
        request,
        metadata,
        (error) => resolve({ code: record(error) }),
      );
    });
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
  }

  #start(service: string, method: string, caller: Caller) {
    let client = this.#clients.get(service);
    const Client = serviceClient(service);
    if (!client) {
      client = new Client(this.#address, grpc.credentials.createInsecure());
      this.#clients.set(service, client);
    }
    const def = Client.service[method];
    if (!def) throw new Error(`${service} has no method ${method}`);
    const { metadata, record } = this.#ledgered(def.path, caller);
    const settle = <T>(error: grpc.ServiceError | null, value: T): Outcome<T> => {
      record(error);
      return error ? { ok: false, error: failureOf(error) } : { ok: true, value };
    };
    return { client, def, metadata, settle };
  }

  /**
   * The metadata for one call to `path` by `caller` (its credentials and a fresh request id),
   * and `record`, which notes the call's outcome in the ledger and returns its status code.
   */
  #ledgered(path: string, caller: Caller) {
    const requestId = this.#ledger.nextRequestId();
    const metadata = new grpc.Metadata();
    metadata.set("x-request-id", requestId);
    for (const [name, value] of Object.entries(caller.metadata)) metadata.set(name, value);
    const record = (error: grpc.ServiceError | null): number => {
      const code = error ? error.code : grpc.status.OK;
      this.#ledger.record({ requestId, path, code, caller });
      return code;
    };
    return { metadata, record };
  }
}

function collectStream(
  stream: grpc.ClientReadableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>,
  settle: <T>(error: grpc.ServiceError | null, value: T) => Outcome<T>,
): Promise<Outcome<JsonMessage[]>> {
  const messages: JsonMessage[] = [];
  return new Promise((resolve) => {
    // grpc-js emits 'error' for a failed status before 'end'; settle (and record) once.
    let finished = false;
    const finish = (error: grpc.ServiceError | null) => {
      if (finished) return;
      finished = true;
      resolve(settle(error, messages));
    };
    stream.on("data", (message: JsonMessage) => messages.push(message));
    stream.on("error", (error: grpc.ServiceError) => finish(error));
    stream.on("end", () => finish(null));
  });
}

function failureOf(error: grpc.ServiceError): CallFailure {
  const [details] = error.metadata.get("grpc-status-details-bin");
  const violations = Buffer.isBuffer(details)
    ? badRequestFields(decodeStatus(details).details)
    : [];
  return { code: error.code, message: error.details, violations };
}
