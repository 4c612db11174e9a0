import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import type { DescMessage, FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { embeddedDescriptorSetBase64 } from "./gen/embedded-descriptors.js";

/**
 * Descriptors the client needs before it has asked a server anything: the reflection
 * protocol, google.rpc.Status and the google.rpc error detail messages (BadRequest,
 * ErrorInfo, ...). Built once from src/gen/embedded-descriptors.ts.
 */
export const embeddedRegistry: FileRegistry = createFileRegistry(
  fromBinary(FileDescriptorSetSchema, Buffer.from(embeddedDescriptorSetBase64, "base64")),
);

function requireMessage(typeName: string): DescMessage {
  const schema = embeddedRegistry.getMessage(typeName);
  // Only reachable if the generated file was edited by hand or regenerated from other protos.
  if (!schema) throw new Error(`embedded descriptors lack ${typeName}; regenerate them`);
  return schema;
}

/** grpc.reflection.v1.ServerReflectionRequest (identical on the wire to v1alpha). */
export const reflectionRequestSchema = requireMessage("grpc.reflection.v1.ServerReflectionRequest");
/** grpc.reflection.v1.ServerReflectionResponse (identical on the wire to v1alpha). */
export const reflectionResponseSchema = requireMessage(
  "grpc.reflection.v1.ServerReflectionResponse",
);
/** google.rpc.Status, carried in the `grpc-status-details-bin` trailer. */
export const rpcStatusSchema = requireMessage("google.rpc.Status");
