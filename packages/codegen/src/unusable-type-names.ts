/**
 * Top-level proto type names that make ts-proto's output fail to compile. ts-proto emits a
 * message or enum under its bare name, and its own code in the same module refers to some
 * globals and helpers by bare name too: a type called `Symbol` shadows the global in every
 * module that declares or imports it. Each rule below was found by type-checking ts-proto's
 * output (options of the pipeline) for that name, and says where the name is really used,
 * so that a type like Google Cloud Vision's `Symbol` is refused only where it breaks.
 */
import type { DescEnum, DescFile, DescMessage } from "@bufbuild/protobuf";
import { CodegenError } from "./errors.js";
import { describeLocation } from "./source-location.js";
import { tsProtoTypeName } from "./ts-proto-names.js";

interface ShadowRule {
  /** True when ts-proto's output for `file` refers to the global or helper by its name. */
  readonly usedIn: (file: DescFile) => boolean;
  /** What the name is used for there, for the error message. */
  readonly usedFor: string;
}

const hasRpc = (file: DescFile, responseStream: boolean): boolean =>
  file.services.some((service) =>
    service.methods.some(
      (method) =>
        (method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming") ===
        responseStream,
    ),
  );

// Used by the message helpers (encode, decode, fromJSON, fromPartial) of nearly every file;
// where exactly depends on the field types, so these are refused wherever they are in scope.
const IN_EVERY_FILE: ShadowRule = { usedIn: () => true, usedFor: "in its message helpers" };

const RULES: ReadonlyMap<string, ShadowRule> = new Map([
  // nice-grpc service interfaces: unary and client-streaming rpcs return a Promise...
  [
    "Promise",
    { usedIn: (file) => hasRpc(file, false), usedFor: "for unary and client-streaming rpcs" },
  ],
  // ...and response streams are typed with `[Symbol.asyncIterator]`.
  [
    "Symbol",
    { usedIn: (file) => hasRpc(file, true), usedFor: "for server-streaming and bidi rpcs" },
  ],
  // Math: by 64-bit, floating-point, Timestamp and map conversions, among others.
  ["Math", IN_EVERY_FILE],
  ["Uint8Array", IN_EVERY_FILE],
  ["globalThis", IN_EVERY_FILE],
  ["MessageFns", IN_EVERY_FILE],
  ["DeepPartial", IN_EVERY_FILE],
  ["Builtin", IN_EVERY_FILE],
]);

type NamedType = DescMessage | DescEnum;

function* allMessages(messages: readonly DescMessage[]): Generator<DescMessage> {
  for (const message of messages) {
    yield message;
    yield* allMessages(message.nestedMessages);
  }
}

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

/**
 * Throws a {@link CodegenError} when ts-proto's output for `file` would not compile because a
 * top-level type's name shadows a global or helper that output uses. The error names the
 * type's declaration (where the rename goes) and, when the type is imported, the file whose
 * output breaks.
 */
export function refuseUnusableTypeNames(file: DescFile): void {
  for (const desc of typesInScope(file)) {
    const name = tsProtoTypeName(desc);
    const rule = RULES.get(name);
    if (rule === undefined || !rule.usedIn(file)) continue;
    const output = desc.file === file ? "" : ` for ${file.proto.name}`;
    throw new CodegenError(
      `${describeLocation(desc)}: ${desc.kind} "${desc.name}" shadows "${name}", which ts-proto's generated code${output} uses ${rule.usedFor}, so the output would not compile; rename it (e.g. "${desc.name}Message")`,
    );
  }
}
