/**
 * Top-level proto type names that make ts-proto's output fail to compile. ts-proto emits a
 * message or enum under its bare name, and its own code in the same module refers to some
 * globals and helpers by bare name too: a type called `Symbol` shadows the global in every
 * module that declares or imports it. Each rule below was found by type-checking ts-proto's
 * output (options of the pipeline) for that name, and says where the name is really used,
 * so that a type like Google Cloud Vision's `Symbol` is refused only where it breaks
 * (unusable-type-names-matrix.test.ts type-checks every rule beside every feature).
 */
import type { DescEnum, DescField, DescFile, DescMessage } from "@bufbuild/protobuf";
import { CodegenError } from "./errors.js";
import { describeLocation, lineOf } from "./source-location.js";
import { tsProtoDefinitionName, tsProtoTypeName } from "./ts-proto-names.js";
import {
  allMessages,
  hasField,
  hasRpc,
  is64BitInteger,
  isFieldOfType,
  isTypedAsMap,
} from "./ts-proto-usage.js";

interface ShadowRule {
  /** True when ts-proto's output for `file` refers to the global or helper by its name. */
  readonly usedIn: (file: DescFile) => boolean;
  /** What the name is used for there, for the error message. */
  readonly usedFor: string;
}

// Used by the message helpers (encode, decode, fromJSON, fromPartial, DeepPartial) of every
// file; where exactly depends on the field types, so these are refused wherever in scope.
const IN_EVERY_FILE: ShadowRule = { usedIn: () => true, usedFor: "in its message helpers" };

const fieldsOf = (usedFor: string, ...typeNames: string[]): ShadowRule => ({
  usedIn: (file) => hasField(file, isFieldOfType(...typeNames)),
  usedFor,
});

const TIMESTAMP = "google.protobuf.Timestamp";
const isBigIntWrapperOrTimestamp = isFieldOfType(
  TIMESTAMP,
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
);
const isBigIntField = (field: DescField): boolean =>
  is64BitInteger(field) || isBigIntWrapperOrTimestamp(field);

const RULES: ReadonlyMap<string, ShadowRule> = new Map([
  // nice-grpc service interfaces: unary and client-streaming rpcs return a Promise...
  [
    "Promise",
    {
      usedIn: (file) => hasRpc(file, ["unary", "client_streaming"]),
      usedFor: "for unary and client-streaming rpcs",
    },
  ],
  // ...response streams are typed with `[Symbol.asyncIterator]`, as AsyncIterators, in a
  // ServerStreamingMethodResult the module declares...
  ...["Symbol", "AsyncIterator", "ServerStreamingMethodResult"].map(
    (name) =>
      [
        name,
        {
          usedIn: (file: DescFile) => hasRpc(file, ["server_streaming", "bidi_streaming"]),
          usedFor: "for server-streaming and bidi rpcs",
        },
      ] as const,
  ),
  // ...and every stream, in either direction, is an AsyncIterable.
  [
    "AsyncIterable",
    {
      usedIn: (file) => hasRpc(file, ["server_streaming", "client_streaming", "bidi_streaming"]),
      usedFor: "for streaming rpcs",
    },
  ],
  // Math: by 64-bit, floating-point, Timestamp and map conversions, among others.
  ["Math", IN_EVERY_FILE],
  ["Uint8Array", IN_EVERY_FILE],
  ["globalThis", IN_EVERY_FILE],
  ["MessageFns", IN_EVERY_FILE],
  ["DeepPartial", IN_EVERY_FILE],
  ["Builtin", IN_EVERY_FILE],
  ["Partial", IN_EVERY_FILE],
  ["ReadonlyArray", IN_EVERY_FILE],
  // Imported from @bufbuild/protobuf/wire by every module with a message.
  ["BinaryReader", IN_EVERY_FILE],
  ["BinaryWriter", IN_EVERY_FILE],
  // forceLong=bigint: 64-bit integers are converted with BigInt(), and so are a Timestamp's
  // seconds; maps with 64-bit or bool keys are Maps.
  [
    "BigInt",
    {
      usedIn: (file) => hasField(file, isBigIntField),
      usedFor: "for 64-bit integer and Timestamp fields",
    },
  ],
  [
    "Map",
    {
      usedIn: (file) => hasField(file, isTypedAsMap),
      usedFor: "for maps with 64-bit integer or bool keys",
    },
  ],
  // useDate: the module's toTimestamp/fromTimestamp helpers name google.protobuf.Timestamp
  // by its bare name.
  ["Timestamp", fieldsOf("for google.protobuf.Timestamp fields", TIMESTAMP)],
  // Wrapper and ListValue fields are converted with the bare globals.
  ["Array", fieldsOf("for google.protobuf.ListValue fields", "google.protobuf.ListValue")],
  ["Boolean", fieldsOf("for google.protobuf.BoolValue fields", "google.protobuf.BoolValue")],
  ["String", fieldsOf("for google.protobuf.StringValue fields", "google.protobuf.StringValue")],
  [
    "Number",
    fieldsOf(
      "for google.protobuf numeric wrapper fields",
      "google.protobuf.DoubleValue",
      "google.protobuf.FloatValue",
      "google.protobuf.Int32Value",
      "google.protobuf.UInt32Value",
    ),
  ],
]);

type NamedType = DescMessage | DescEnum;

/**
 * The top-level types ts-proto's module for `file` has under their bare names: the file's
 * own, then those it imports (used by a field or an rpc). Nested types are never bare: their
 * names carry their parents' (`Outer_Inner`).
 */
function* typesInScope(file: DescFile): Generator<NamedType> {
  yield* file.messages;
  yield* file.enums;
  const seen = new Set<NamedType>();
  const imported = (desc: NamedType | undefined): desc is NamedType =>
    desc !== undefined && desc.file !== file && desc.parent === undefined && !seen.has(desc);
  for (const message of allMessages(file.messages)) {
    for (const field of message.fields) {
      const desc = field.message ?? field.enum;
      if (imported(desc)) {
        seen.add(desc);
        yield desc;
      }
    }
  }
  for (const service of file.services) {
    for (const method of service.methods) {
      for (const desc of [method.input, method.output]) {
        if (imported(desc)) {
          seen.add(desc);
          yield desc;
        }
      }
    }
  }
}

/** A rename that fits the kind of declaration, e.g. "MathEnum" for `enum Math`. */
function renameSuggestion(desc: NamedType): string {
  return `${desc.name}${desc.kind === "enum" ? "Enum" : "Message"}`;
}

/**
 * Throws a {@link CodegenError} when ts-proto's output for `file` would not compile because a
 * top-level type's name shadows a global or helper that output uses, or is the name ts-proto
 * gives one of the file's services' interfaces. The error names the type's declaration (where
 * the rename goes) and, when the type is imported, the file whose output breaks.
 */
export function refuseUnusableTypeNames(file: DescFile): void {
  for (const desc of typesInScope(file)) {
    // The well-known types are what ts-proto's helpers mean by these names.
    if (desc.file.proto.package === "google.protobuf") continue;
    const name = tsProtoTypeName(desc);
    const rule = RULES.get(name);
    if (rule === undefined || !rule.usedIn(file)) continue;
    const output = desc.file === file ? "" : ` for ${file.proto.name}`;
    throw new CodegenError(
      `${describeLocation(desc)}: ${desc.kind} "${desc.name}" shadows "${name}", which ts-proto's generated code${output} uses ${rule.usedFor}, so the output would not compile; rename it (e.g. "${renameSuggestion(desc)}")`,
    );
  }
  refuseServiceInterfaceNames(file);
}

/**
 * ts-proto declares `<Service>Definition`, `<Service>Client` and
 * `<Service>ServiceImplementation` beside the file's own types (an imported type of such a
 * name is imported under an alias, so only the file's own types clash).
 */
function refuseServiceInterfaceNames(file: DescFile): void {
  if (file.services.length === 0) return;
  const declared = new Map<string, NamedType>();
  for (const desc of [...file.messages, ...file.enums]) declared.set(tsProtoTypeName(desc), desc);
  for (const service of file.services) {
    const interfaces: [string, string][] = [
      [tsProtoDefinitionName(service), "service definition"],
      [`${service.name}Client`, "client interface"],
      [`${service.name}ServiceImplementation`, "implementation interface"],
    ];
    for (const [name, what] of interfaces) {
      const desc = declared.get(name);
      if (desc === undefined) continue;
      const line = lineOf(service);
      const at = line === undefined ? "" : ` (line ${line})`;
      throw new CodegenError(
        `${describeLocation(desc)}: ${desc.kind} "${desc.name}" has the name ts-proto gives the ${what} of service ${service.typeName}${at}, so the output would not compile; rename it (e.g. "${renameSuggestion(desc)}") or the service (e.g. "${service.name}Service")`,
      );
    }
  }
}
