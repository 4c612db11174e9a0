import { createRegistry, fromBinary, toJson } from "@bufbuild/protobuf";
import type { JsonValue, Registry } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import type { Metadata, ServiceError } from "@grpc/grpc-js";
import { embeddedRegistry, rpcStatusSchema } from "./embedded-registry.js";
import { GrpcCallError } from "./errors.js";
import { fromGrpcMetadata } from "./metadata.js";
import type { MetadataRecord } from "./metadata.js";

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/**
 * Decodes the google.rpc.Status the server may put in the `grpc-status-details-bin` trailer
 * into proto3 JSON details. Types are looked up in the server's descriptors first, then the
 * embedded google.rpc ones; an unknown type is kept as `{"@type", "value": base64}`.
 */
export function decodeStatusDetails(
  trailers: Metadata | undefined,
  serverRegistry: Registry | undefined,
): JsonValue[] {
  const raw = trailers?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return [];
  let details: Any[];
  try {
    details = (fromBinary(rpcStatusSchema, raw) as unknown as { details: Any[] }).details;
  } catch {
    return []; // A malformed trailer must not hide the status itself.
  }
  return details.map((any) => anyToJson(any, serverRegistry));
}

function anyToJson(any: Any, serverRegistry: Registry | undefined): JsonValue {
  // Later registries win on duplicate names, so the server's own descriptors take precedence.
  const registry = serverRegistry
    ? createRegistry(embeddedRegistry, serverRegistry)
    : embeddedRegistry;
  try {
    return toJson(AnySchema, any, { registry });
  } catch {
    return { "@type": any.typeUrl, value: Buffer.from(any.value).toString("base64") };
  }
}

/** Turns a grpc-js ServiceError into a GrpcCallError with decoded details. */
export function toGrpcCallError(
  error: ServiceError,
  serverRegistry: Registry | undefined,
  headers: MetadataRecord = {},
): GrpcCallError {
  return new GrpcCallError(
    error.code,
    error.details,
    decodeStatusDetails(error.metadata, serverRegistry),
    fromGrpcMetadata(error.metadata),
    headers,
  );
}
