/**
 * Wire-level preparation of a CodeGeneratorRequest before it is parsed. On large trees
 * (googleapis: 8,000 files) parsing everything costs gigabytes, almost all of it source
 * code info we never read and `source_file_descriptors` (a second copy of every file to
 * generate). So, working on the bytes:
 *   - source code info keeps only the locations of services and their rpcs (path 6, …),
 *     which is all the generator reads (comments, error positions);
 *   - `source_file_descriptors` is dropped;
 *   - the FileDescriptorSet for reflection is cut from the original bytes of each file (minus
 *     source code info), with no re-encoding.
 */
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

const REQUEST_PROTO_FILE = 15;
const REQUEST_SOURCE_FILE_DESCRIPTORS = 17;
const FILE_SOURCE_CODE_INFO = 9;
const FILE_SERVICE = 6;
const SOURCE_CODE_INFO_LOCATION = 1;
const LOCATION_PATH = 1;
const SET_FILE = 1;

/** A request slimmed for parsing, plus the serialized FileDescriptorSet of all its files. */
export interface PreparedRequest {
  /** The CodeGeneratorRequest, re-encoded without what the generator never reads. */
  readonly request: Uint8Array;
  /** google.protobuf.FileDescriptorSet of every `proto_file`, without source code info. */
  readonly descriptorSet: Uint8Array;
  /** Number of files in `descriptorSet`. */
  readonly fileCount: number;
}

/** Prepares a serialized CodeGeneratorRequest (see the module comment). */
export function prepareRequest(bytes: Uint8Array): PreparedRequest {
  const reader = new BinaryReader(bytes);
  const request = new BinaryWriter();
  const set = new BinaryWriter();
  let fileCount = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === REQUEST_PROTO_FILE && wireType === WireType.LengthDelimited) {
      const file = splitFile(reader.bytes());
      request.tag(REQUEST_PROTO_FILE, WireType.LengthDelimited).bytes(file.forRequest);
      set.tag(SET_FILE, WireType.LengthDelimited).bytes(file.forSet);
      fileCount++;
    } else {
      reader.skip(wireType, fieldNo);
      if (fieldNo !== REQUEST_SOURCE_FILE_DESCRIPTORS)
        request.raw(bytes.subarray(start, reader.pos));
    }
  }
  return { request: request.finish(), descriptorSet: set.finish(), fileCount };
}

function splitFile(file: Uint8Array): { forRequest: Uint8Array; forSet: Uint8Array } {
  const reader = new BinaryReader(file);
  const forRequest = new BinaryWriter();
  const forSet = new BinaryWriter();
  let sawSourceInfo = false;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === FILE_SOURCE_CODE_INFO && wireType === WireType.LengthDelimited) {
      sawSourceInfo = true;
      forRequest
        .tag(FILE_SOURCE_CODE_INFO, WireType.LengthDelimited)
        .bytes(serviceLocations(reader.bytes()));
    } else {
      reader.skip(wireType, fieldNo);
      const raw = file.subarray(start, reader.pos);
      forRequest.raw(raw);
      forSet.raw(raw);
    }
  }
  return sawSourceInfo
    ? { forRequest: forRequest.finish(), forSet: forSet.finish() }
    : { forRequest: file, forSet: file };
}

// Keeps the SourceCodeInfo locations whose path starts with 6 (services and their parts).
function serviceLocations(info: Uint8Array): Uint8Array {
  const reader = new BinaryReader(info);
  const out = new BinaryWriter();
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === SOURCE_CODE_INFO_LOCATION && wireType === WireType.LengthDelimited) {
      const location = reader.bytes();
      if (firstPathElement(location) === FILE_SERVICE) {
        out.tag(SOURCE_CODE_INFO_LOCATION, WireType.LengthDelimited).bytes(location);
      }
    } else {
      reader.skip(wireType, fieldNo);
      out.raw(info.subarray(start, reader.pos));
    }
  }
  return out.finish();
}

// Hand-rolled (no BinaryReader per location): googleapis has millions of locations, and
// buf writes `path` first, so this usually decodes two varints.
function firstPathElement(location: Uint8Array): number | undefined {
  const cursor = { pos: 0 };
  while (cursor.pos < location.length) {
    const tag = varint(location, cursor);
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNo === LOCATION_PATH && wireType === WireType.Varint) return varint(location, cursor);
    if (fieldNo === LOCATION_PATH && wireType === WireType.LengthDelimited) {
      return varint(location, cursor) > 0 ? varint(location, cursor) : undefined;
    }
    switch (wireType) {
      case WireType.Varint:
        varint(location, cursor);
        break;
      case WireType.Bit64:
        cursor.pos += 8;
        break;
      case WireType.LengthDelimited:
        cursor.pos += varint(location, cursor);
        break;
      case WireType.Bit32:
        cursor.pos += 4;
        break;
      default:
        return undefined; // groups never occur in SourceCodeInfo
    }
  }
  return undefined;
}

// Decodes a varint of up to 32 bits (path elements and lengths), advancing cursor.pos.
function varint(bytes: Uint8Array, cursor: { pos: number }): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = bytes[cursor.pos++] ?? 0;
    result |= (byte & 0x7f) << shift;
    if (byte < 0x80) return result >>> 0;
  }
  // Longer varints (negative int32 padding) are not valid path elements or lengths here.
  while ((bytes[cursor.pos++] ?? 0) >= 0x80);
  return result >>> 0;
}
