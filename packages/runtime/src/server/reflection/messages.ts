/**
 * The grpc.reflection messages (grpc/reflection/v1/reflection.proto; v1alpha is identical on
 * the wire), coded by hand on @bufbuild/protobuf's wire reader and writer. Seven small
 * messages do not justify generated code, and a hand decoder can keep the request's own bytes
 * so `original_request` echoes exactly what the client sent, unknown fields included.
 */
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** What a `ServerReflectionRequest` asks (its `message_request` oneof). */
export type ReflectionQuery =
  | { readonly kind: "fileByFilename"; readonly name: string }
  | { readonly kind: "fileContainingSymbol"; readonly symbol: string }
  | {
      readonly kind: "fileContainingExtension";
      readonly containingType: string;
      readonly extensionNumber: number;
    }
  | { readonly kind: "allExtensionNumbersOfType"; readonly typeName: string }
  | { readonly kind: "listServices" }
  | { readonly kind: "none" };

/** A decoded `ServerReflectionRequest` and the bytes it came from. */
export interface ReflectionRequest {
  readonly host: string;
  readonly query: ReflectionQuery;
  /** The encoded request, echoed as `original_request`. */
  readonly raw: Uint8Array;
}

/** What a `ServerReflectionResponse` answers (its `message_response` oneof). */
export type ReflectionAnswer =
  | { readonly kind: "files"; readonly files: readonly Uint8Array[] }
  | {
      readonly kind: "extensionNumbers";
      readonly baseTypeName: string;
      readonly numbers: readonly number[];
    }
  | { readonly kind: "services"; readonly names: readonly string[] }
  | { readonly kind: "error"; readonly code: number; readonly message: string };

/** A `ServerReflectionResponse`: the answer plus the echoed host and request. */
export interface ReflectionResponse {
  readonly validHost: string;
  readonly originalRequest: Uint8Array;
  readonly answer: ReflectionAnswer;
}

/** Decodes a `ServerReflectionRequest`; like protobuf, the last oneof member read wins. */
export function decodeReflectionRequest(bytes: Uint8Array): ReflectionRequest {
  const reader = new BinaryReader(bytes);
  let host = "";
  let query: ReflectionQuery = { kind: "none" };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (wireType !== WireType.LengthDelimited) {
      reader.skip(wireType, field);
      continue;
    }
    switch (field) {
      case 1:
        host = reader.string();
        break;
      case 3:
        query = { kind: "fileByFilename", name: reader.string() };
        break;
      case 4:
        query = { kind: "fileContainingSymbol", symbol: reader.string() };
        break;
      case 5:
        query = decodeExtensionRequest(reader.bytes());
        break;
      case 6:
        query = { kind: "allExtensionNumbersOfType", typeName: reader.string() };
        break;
      case 7:
        reader.string(); // the content ("*") carries no meaning
        query = { kind: "listServices" };
        break;
      default:
        reader.skip(wireType, field);
    }
  }
  return { host, query, raw: bytes };
}

function decodeExtensionRequest(bytes: Uint8Array): ReflectionQuery {
  const reader = new BinaryReader(bytes);
  let containingType = "";
  let extensionNumber = 0;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) containingType = reader.string();
    else if (field === 2 && wireType === WireType.Varint) extensionNumber = reader.int32();
    else reader.skip(wireType, field);
  }
  return { kind: "fileContainingExtension", containingType, extensionNumber };
}

/** Encodes a `ServerReflectionResponse`. File descriptors are written as given, not re-encoded. */
export function encodeReflectionResponse(response: ReflectionResponse): Uint8Array {
  const writer = new BinaryWriter();
  if (response.validHost !== "") writer.tag(1, WireType.LengthDelimited).string(response.validHost);
  // A message field holds its encoding as a length-delimited payload: the raw bytes are it.
  writer.tag(2, WireType.LengthDelimited).bytes(response.originalRequest);
  const { answer } = response;
  switch (answer.kind) {
    case "files":
      writer.tag(4, WireType.LengthDelimited).fork();
      for (const file of answer.files) writer.tag(1, WireType.LengthDelimited).bytes(file);
      writer.join();
      break;
    case "extensionNumbers":
      writer.tag(5, WireType.LengthDelimited).fork();
      writer.tag(1, WireType.LengthDelimited).string(answer.baseTypeName);
      if (answer.numbers.length > 0) {
        writer.tag(2, WireType.LengthDelimited).fork();
        for (const n of answer.numbers) writer.int32(n);
        writer.join();
      }
      writer.join();
      break;
    case "services":
      writer.tag(6, WireType.LengthDelimited).fork();
      for (const name of answer.names) {
        writer.tag(1, WireType.LengthDelimited).fork();
        writer.tag(1, WireType.LengthDelimited).string(name);
        writer.join();
      }
      writer.join();
      break;
    case "error":
      writer.tag(7, WireType.LengthDelimited).fork();
      writer.tag(1, WireType.Varint).int32(answer.code);
      writer.tag(2, WireType.LengthDelimited).string(answer.message);
      writer.join();
      break;
  }
  return writer.finish();
}
