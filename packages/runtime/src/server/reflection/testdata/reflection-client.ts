/**
 * Test support: inline protos compiled by the real buf, a grpc-cfg server serving their
 * descriptor set on 127.0.0.1:0, and a real grpc-js client speaking the reflection protocol
 * with @bufbuild/protobuf messages built from the client package's embedded reflection.proto
 * (a codec independent of the server's hand-written one).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import {
  reflectionRequestSchema,
  reflectionResponseSchema,
} from "../../../../../client/src/embedded-registry.js";
import { BUF, ProtoWorkspace } from "../../../../../codegen/src/test-support/proto-workspace.js";
import { createServer, createJsonLogger, resolveConfig } from "../../../index.js";
import type { GrpcCfgServer } from "../../../index.js";

const run = promisify(execFile);

/** The `message_request` oneof of a reflection request, as @bufbuild/protobuf spells it. */
export type RequestInit =
  | { case: "fileByFilename" | "fileContainingSymbol"; value: string }
  | { case: "allExtensionNumbersOfType" | "listServices"; value: string }
  | {
      case: "fileContainingExtension";
      value: { containingType: string; extensionNumber: number };
    }
  | { case: undefined; value?: undefined };

/** The fields of a decoded `ServerReflectionResponse` the tests read. */
export interface ResponseShape {
  readonly validHost: string;
  readonly originalRequest?: { readonly host: string; readonly messageRequest: RequestInit };
  readonly messageResponse:
    | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
    | {
        case: "allExtensionNumbersResponse";
        value: { baseTypeName: string; extensionNumber: number[] };
      }
    | { case: "listServicesResponse"; value: { service: { name: string }[] } }
    | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } }
    | { case: undefined; value?: undefined };
}

/** A decoded reflection response, with the names of the files it carries. */
export interface Answer {
  readonly response: ResponseShape;
  /** Names of `file_descriptor_response` files, in order. */
  readonly files: string[];
}

function decode(bytes: Buffer): ResponseShape {
  // The embedded schema is untyped (a DescMessage): its fields are read through this shape.
  return fromBinary(reflectionResponseSchema, bytes) as unknown as ResponseShape;
}

function encode(request: RequestInit, host: string): Buffer {
  const message = create(reflectionRequestSchema, { host, messageRequest: request });
  return Buffer.from(toBinary(reflectionRequestSchema, message));
}

/** Compiles `files` (path → proto text) with buf and returns the binary FileDescriptorSet. */
export async function compileProtos(files: Record<string, string>): Promise<Uint8Array> {
  const workspace = ProtoWorkspace.create(files);
  try {
    await run(BUF, ["build", "--as-file-descriptor-set", "-o", "set.binpb"], {
      cwd: workspace.dir,
    });
    return readFileSync(join(workspace.dir, "set.binpb"));
  } finally {
    workspace.dispose();
  }
}

/** A grpc-cfg server with no services of its own, serving `descriptorSet` by reflection. */
export async function startReflectionServer(
  descriptorSet: Uint8Array,
): Promise<{ server: GrpcCfgServer; port: number }> {
  const config = resolveConfig({ server: { host: "127.0.0.1", port: 0 } }, { env: {} });
  const server = createServer({
    config,
    manifest: { services: [], descriptorSet },
    services: [],
    logger: createJsonLogger({ level: "error", write: () => {} }),
  });
  const { port } = await server.listen();
  return { server, port };
}

/**
 * Sends `requests` on one reflection stream (v1 unless `version` says otherwise) and returns
 * the answers in order; the stream is closed after the last request.
 */
export async function reflect(
  port: number,
  requests: readonly RequestInit[],
  version: "v1" | "v1alpha" = "v1",
  host = "",
): Promise<Answer[]> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const call = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      (request: RequestInit) => encode(request, host),
      decode,
    );
    const answers: Answer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on("data", (response: ResponseShape) => {
        const m = response.messageResponse;
        const files =
          m.case === "fileDescriptorResponse"
            ? m.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name)
            : [];
        answers.push({ response, files });
      });
      call.on("error", reject);
      call.on("end", resolve);
    });
    for (const request of requests) call.write(request);
    call.end();
    await done;
    return answers;
  } finally {
    client.close();
  }
}

/** Sends one request on a fresh stream and returns its answer. */
export async function reflectOne(port: number, request: RequestInit): Promise<Answer> {
  const [answer] = await reflect(port, [request]);
  if (!answer) throw new Error("no reflection answer");
  return answer;
}
