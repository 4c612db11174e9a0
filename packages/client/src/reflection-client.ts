import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Message } from "@bufbuild/protobuf";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { Client, ClientDuplexStream, Metadata, ServiceError } from "@grpc/grpc-js";
import { reflectionRequestSchema, reflectionResponseSchema } from "./embedded-registry.js";
import { DynamicClientError, GrpcCallError } from "./errors.js";
import { fromGrpcMetadata } from "./metadata.js";

/** Which reflection protocol a server answered. */
export type ReflectionVersion = "v1" | "v1alpha";

const REFLECTION_PATHS: Record<ReflectionVersion, string> = {
  v1: "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
  v1alpha: "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
};

/** The response fields we read; the schema comes from the embedded descriptors at runtime. */
interface ReflectionResponse {
  messageResponse:
    | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
    | { case: "listServicesResponse"; value: { service: { name: string }[] } }
    | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } }
    | { case: "allExtensionNumbersResponse" | undefined; value?: unknown };
}

type RequestCase = "fileByFilename" | "fileContainingSymbol" | "listServices";

/** How reflection streams are opened: fresh metadata and deadline per session. */
export interface ReflectionClientOptions {
  /** Address, for error messages. */
  address: string;
  metadata: () => Metadata;
  /** Milliseconds one session (a few requests) may take. */
  timeoutMs: number;
}

/**
 * Speaks gRPC server reflection: grpc.reflection.v1 first, grpc.reflection.v1alpha when the
 * server answers UNIMPLEMENTED, then remembers which one worked.
 */
export class ReflectionClient {
  private version: ReflectionVersion | undefined;

  constructor(
    private readonly client: Client,
    private readonly options: ReflectionClientOptions,
  ) {}

  /** The protocol version the server answered, once known. */
  get negotiatedVersion(): ReflectionVersion | undefined {
    return this.version;
  }

  /**
   * Runs `work` over one reflection stream. `work` must be safe to repeat: it runs again on
   * v1alpha if the server does not implement v1.
   */
  async withSession<T>(work: (session: ReflectionSession) => Promise<T>): Promise<T> {
    const versions: ReflectionVersion[] = this.version ? [this.version] : ["v1", "v1alpha"];
    for (const version of versions) {
      const session = new ReflectionSession(
        this.client,
        REFLECTION_PATHS[version],
        this.options.metadata(),
        Date.now() + this.options.timeoutMs,
      );
      try {
        const result = await work(session);
        this.version = version;
        return result;
      } catch (error) {
        if (error instanceof GrpcCallError && error.code === GrpcStatus.UNIMPLEMENTED) continue;
        throw error;
      } finally {
        session.close();
      }
    }
    throw new DynamicClientError(
      "no-reflection",
      `the server at ${this.options.address} does not offer server reflection ` +
        "(it answered UNIMPLEMENTED to grpc.reflection.v1 and grpc.reflection.v1alpha)",
    );
  }
}

/** One open reflection stream; requests are answered in order. */
export class ReflectionSession {
  private readonly stream: ClientDuplexStream<Message, Message>;
  private readonly pending: {
    resolve: (r: ReflectionResponse) => void;
    reject: (e: Error) => void;
  }[] = [];
  private failure: Error | undefined;

  constructor(client: Client, path: string, metadata: Metadata, deadline: number) {
    this.stream = client.makeBidiStreamRequest<Message, Message>(
      path,
      (request) => Buffer.from(toBinary(reflectionRequestSchema, request)),
      (bytes) => fromBinary(reflectionResponseSchema, bytes),
      metadata,
      { deadline },
    );
    this.stream.on("data", (response: Message) => {
      this.pending.shift()?.resolve(response as unknown as ReflectionResponse);
    });
    this.stream.on("error", (error: ServiceError) => {
      this.fail(new GrpcCallError(error.code, error.details, [], fromGrpcMetadata(error.metadata)));
    });
    this.stream.on("end", () => {
      this.fail(new GrpcCallError(GrpcStatus.INTERNAL, "reflection stream ended early", [], {}));
    });
  }

  /** Names of the services the server lists. */
  async listServices(): Promise<string[]> {
    const response = await this.ask("listServices", "*");
    const body = response.messageResponse;
    if (body.case !== "listServicesResponse") throw unexpected("list_services", body.case);
    return body.value.service.map((service) => service.name);
  }

  /** Serialized FileDescriptorProtos defining `symbol`, or undefined when the server has none. */
  fileContainingSymbol(symbol: string): Promise<Uint8Array[] | undefined> {
    return this.askFiles("fileContainingSymbol", symbol);
  }

  /** Serialized FileDescriptorProtos for a file name, or undefined when the server has none. */
  fileByFilename(fileName: string): Promise<Uint8Array[] | undefined> {
    return this.askFiles("fileByFilename", fileName);
  }

  /** Half-closes the stream; the server then ends it. */
  close(): void {
    if (!this.failure) this.stream.end();
  }

  private async askFiles(kind: RequestCase, value: string): Promise<Uint8Array[] | undefined> {
    const body = (await this.ask(kind, value)).messageResponse;
    if (body.case === "fileDescriptorResponse") return body.value.fileDescriptorProto;
    if (body.case === "errorResponse") {
      if (body.value.errorCode === GrpcStatus.NOT_FOUND) return undefined;
      throw new GrpcCallError(body.value.errorCode, body.value.errorMessage, [], {});
    }
    throw unexpected(kind, body.case);
  }

  private ask(kind: RequestCase, value: string): Promise<ReflectionResponse> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.stream.write(
        create(reflectionRequestSchema, { messageRequest: { case: kind, value } } as never),
      );
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(this.failure);
  }
}

function unexpected(request: string, answer: string | undefined): DynamicClientError {
  return new DynamicClientError(
    "bad-descriptor",
    `reflection answered a ${request} request with ${answer ?? "an empty response"}`,
  );
}
