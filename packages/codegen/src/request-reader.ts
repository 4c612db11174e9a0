/**
 * Wire-level preparation of a CodeGeneratorRequest before it is parsed. On large trees
 * (googleapis: 8,000 files) parsing everything costs gigabytes, almost all of it source
 * code info we never read and `source_file_descriptors` (a second copy of every file to
 * generate). So, working on the bytes:
 *   - source code info keeps only the locations of services and their parts (path 6, …),
 *     and the position (no comments) of each message and enum declaration, nested ones
 *     included (4,i / 5,i / 4,i,3,j / 4,i,4,j …, not their fields), and of the syntax or
 *     edition declaration (12 / 14), which is all the generator reads (service and rpc
 *     comments, error positions);
 *   - `source_file_descriptors` is dropped;
 *   - the FileDescriptorSet for reflection is cut from the original bytes of each file (minus
 *     source code info), with no re-encoding.
 */
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

const REQUEST_PROTO_FILE = 15;
const REQUEST_SOURCE_FILE_DESCRIPTORS = 17;
const FILE_SOURCE_CODE_INFO = 9;
const FILE_MESSAGE_TYPE = 4;
const FILE_ENUM_TYPE = 5;
const FILE_SERVICE = 6;
const FILE_SYNTAX = 12;
const FILE_EDITION = 14;
const MESSAGE_NESTED_TYPE = 3;
const MESSAGE_ENUM_TYPE = 4;
const SOURCE_CODE_INFO_LOCATION = 1;
const LOCATION_PATH = 1;
const LOCATION_SPAN = 2;
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
        .bytes(keptLocations(reader.bytes()));
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

// Keeps the SourceCodeInfo locations the generator reads (see the module comment).
function keptLocations(info: Uint8Array): Uint8Array {
  const reader = new BinaryReader(info);
  const out = new BinaryWriter();
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === SOURCE_CODE_INFO_LOCATION && wireType === WireType.LengthDelimited) {
      const location = reader.bytes();
      const kept = keptPart(location);
      if (kept !== "none") {
        out
          .tag(SOURCE_CODE_INFO_LOCATION, WireType.LengthDelimited)
          .bytes(kept === "all" ? location : positionOnly(location));
      }
    } else {
      reader.skip(wireType, fieldNo);
      out.raw(info.subarray(start, reader.pos));
    }
  }
  return out.finish();
}

/**
 * What of a location is kept: all of it (services and their parts: comments are read), its
 * path and span (a message or enum declaration: error positions of type names), or nothing
 * (fields, values, options, reserved ranges… most of the locations of a large tree).
 */
type KeptPart = "all" | "position" | "none";

// States of reading a path: inside a message or enum declaration's path so far, or decided.
const IN_MESSAGE = 0;
const IN_ENUM = 1;
const KEEP_ALL = 2;
const DROP = 3;
const KEEP_POSITION = 4;
const DECIDED: readonly KeptPart[] = ["none", "none", "all", "none", "position"];

// The state after path element number `index`.
function step(state: number, index: number, element: number): number {
  if (index === 0) {
    if (element === FILE_SERVICE) return KEEP_ALL;
    // `edition = "2023"` (buf records it under syntax): where an editions file is refused.
    if (element === FILE_SYNTAX || element === FILE_EDITION) return KEEP_POSITION;
    if (element === FILE_MESSAGE_TYPE) return IN_MESSAGE;
    return element === FILE_ENUM_TYPE ? IN_ENUM : DROP;
  }
  if (index % 2 === 1) return state; // an index into the list named before it
  if (state !== IN_MESSAGE) return DROP;
  if (element === MESSAGE_NESTED_TYPE) return IN_MESSAGE;
  return element === MESSAGE_ENUM_TYPE ? IN_ENUM : DROP;
}

// keptPart's read position, reused: one object per call would be millions on googleapis.
const cursor = { pos: 0 };

// Hand-rolled (no BinaryReader, no allocation per location): googleapis has millions of
// locations, and buf writes `path` first (packed), so this usually decodes a few varints and
// decides by the path's first or third element.
function keptPart(location: Uint8Array): KeptPart {
  cursor.pos = 0;
  let state = IN_MESSAGE;
  let count = 0;
  while (cursor.pos < location.length) {
    const tag = varint(location, cursor);
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNo === LOCATION_PATH && wireType === WireType.Varint) {
      state = step(state, count++, varint(location, cursor));
      if (state >= KEEP_ALL) return DECIDED[state] ?? "none";
      continue;
    }
    if (fieldNo === LOCATION_PATH && wireType === WireType.LengthDelimited) {
      const length = varint(location, cursor);
      const stop = cursor.pos + length;
      while (cursor.pos < stop) {
        state = step(state, count++, varint(location, cursor));
        if (state >= KEEP_ALL) return DECIDED[state] ?? "none";
      }
      break; // packed: that was the whole path
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
        return "none"; // groups never occur in SourceCodeInfo
    }
  }
  // A declaration's path is (list, index) pairs.
  return count > 0 && count % 2 === 0 ? "position" : "none";
}

// The location's path and span, without its comments (declarations of large APIs carry long
// ones, and the generator reads only the comments of services and rpcs).
function positionOnly(location: Uint8Array): Uint8Array {
  const reader = new BinaryReader(location);
  const out = new BinaryWriter();
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    reader.skip(wireType, fieldNo);
    if (fieldNo === LOCATION_PATH || fieldNo === LOCATION_SPAN) {
      out.raw(location.subarray(start, reader.pos));
    }
  }
  return out.finish();
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
