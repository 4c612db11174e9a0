/**
 * What ts-proto's output for one proto file contains, for the pipeline's options
 * (`outputServices=nice-grpc,generic-definitions`, `forceLong=bigint`, default `useDate`):
 * which rpc kinds its service interfaces have and which field types its message helpers
 * convert. Used to refuse a type name only where the output really refers to the global or
 * helper it would shadow.
 */
import { ScalarType } from "@bufbuild/protobuf";
import type { DescField, DescFile, DescMessage } from "@bufbuild/protobuf";

/** One of nice-grpc's four call kinds. */
export type RpcKind = "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";

/** True when a service of `file` has an rpc of one of `kinds`. */
export function hasRpc(file: DescFile, kinds: readonly RpcKind[]): boolean {
  return file.services.some((service) =>
    service.methods.some((method) => kinds.includes(method.methodKind)),
  );
}

/** Every message of `file`, nested ones included (their fields are in the same module). */
export function* allMessages(messages: readonly DescMessage[]): Generator<DescMessage> {
  for (const message of messages) {
    yield message;
    yield* allMessages(message.nestedMessages);
  }
}

/** True when a field of a message of `file` (singular, repeated, map, in a oneof) passes `test`. */
export function hasField(file: DescFile, test: (field: DescField) => boolean): boolean {
  for (const message of allMessages(file.messages)) {
    if (message.fields.some(test)) return true;
  }
  return false;
}

const SIXTY_FOUR_BIT = new Set<ScalarType | undefined>([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

/** A 64-bit integer field, element, map key or map value (a `bigint` with forceLong=bigint). */
export function is64BitInteger(field: DescField): boolean {
  return (
    SIXTY_FOUR_BIT.has(field.scalar) ||
    (field.fieldKind === "map" && SIXTY_FOUR_BIT.has(field.mapKey))
  );
}

/**
 * A map ts-proto types as a `Map` rather than a plain object: one whose keys are 64-bit
 * integers (bigints are no object keys) or bools.
 */
export function isTypedAsMap(field: DescField): boolean {
  return (
    field.fieldKind === "map" &&
    (SIXTY_FOUR_BIT.has(field.mapKey) || field.mapKey === ScalarType.BOOL)
  );
}

/** A field whose type (or map value type) is one of the messages `typeNames`. */
export function isFieldOfType(...typeNames: readonly string[]): (field: DescField) => boolean {
  return (field) => field.message !== undefined && typeNames.includes(field.message.typeName);
}
