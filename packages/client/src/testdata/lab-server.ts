// A real gRPC server (nice-grpc + reflection) that answers with bytes the test chooses: it lets
// tests send responses no typed server would build, e.g. an Any of a type the server's
// reflection does not know, or a proto2 message that lacks a required field.
import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import type { DescMessage, FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { ServerCredentials } from "@grpc/grpc-js";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { createServer } from "nice-grpc";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";

/** The descriptor set `buf build` made from testdata/lab-proto (imports included). */
export const labProtoset = readFileSync(new URL("./gen/lab.binpb", import.meta.url));

/** The lab descriptors, for building request and response bytes in tests. */
export const labRegistry: FileRegistry = createFileRegistry(
  fromBinary(FileDescriptorSetSchema, labProtoset),
);

export const ANY_SERVICE = "grpccfg.lab.v1.AnyService";
export const LEGACY_SERVICE = "grpccfg.lab.v1.LegacyService";

/** A lab message schema by full name. */
export function labMessage(typeName: string): DescMessage {
  const schema = labRegistry.getMessage(typeName);
  if (!schema) throw new Error(`lab.binpb lacks ${typeName}`);
  return schema;
}

/**
 * Answers one call: gets the raw request bytes (every request of a client stream) and returns
 * the raw response bytes (several for a server stream).
 */
export type RawHandler = (requests: Buffer[]) => Buffer[];

/** A running lab server. */
export interface LabServer {
  address: string;
  /** Raw bytes of every request received, by method path. */
  received: Map<string, Buffer[]>;
  close(): Promise<void>;
}

const identity = (bytes: Buffer): Buffer => bytes;

/**
 * Starts the lab server on 127.0.0.1 with a free port. `handlers` is keyed by method path
 * (`/grpccfg.lab.v1.AnyService/Pack`); methods without a handler echo the request bytes.
 */
export async function startLabServer(
  handlers: Record<string, RawHandler> = {},
): Promise<LabServer> {
  const received = new Map<string, Buffer[]>();
  const server = createServer();
  for (const serviceName of [ANY_SERVICE, LEGACY_SERVICE]) {
    const service = labRegistry.getService(serviceName);
    if (!service) throw new Error(`lab.binpb lacks ${serviceName}`);
    const definition: Record<string, MethodDefinition<Buffer, Buffer>> = {};
    const implementation: Record<string, unknown> = {};
    for (const method of service.methods) {
      const path = `/${service.typeName}/${method.name}`;
      const clientStream =
        method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming";
      const serverStream =
        method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming";
      definition[method.localName] = {
        path,
        requestStream: clientStream,
        responseStream: serverStream,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      };
      const answer = (requests: Buffer[]): Buffer[] => {
        received.set(path, [...(received.get(path) ?? []), ...requests]);
        return (handlers[path] ?? ((all) => all.slice(-1)))(requests);
      };
      implementation[method.localName] = clientStream
        ? async (stream: AsyncIterable<Buffer>) => {
            const requests: Buffer[] = [];
            for await (const request of stream) requests.push(request);
            return answer(requests)[0];
          }
        : serverStream
          ? async function* (request: Buffer) {
              yield* answer([request]);
            }
          : async (request: Buffer) => answer([request])[0];
    }
    server.add(definition as ServiceDefinition, implementation as never);
  }
  server.add(ServerReflectionService, ServerReflection(labProtoset, [ANY_SERVICE, LEGACY_SERVICE]));
  const port = await server.listen("127.0.0.1:0", ServerCredentials.createInsecure());
  return { address: `127.0.0.1:${port}`, received, close: () => server.shutdown() };
}
