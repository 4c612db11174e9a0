import {
  clone,
  create,
  createFileRegistry,
  createRegistry,
  fromBinary,
  toBinary,
} from "@bufbuild/protobuf";
import type { DescMessage, JsonValue, Message, Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import { typeNameOfUrl } from "./any-types.js";

/**
 * Stands in for an Any whose type nobody describes, so that toJson (which refuses such an Any)
 * writes the rest of the message; the stand-ins are then swapped for `{"@type", "value"}`.
 */
const placeholder: DescMessage = (() => {
  const file = create(FileDescriptorProtoSchema, {
    name: "grpc_cfg/client/internal/unknown_any.proto",
    package: "grpc_cfg.client.internal",
    syntax: "proto3",
    messageType: [{ name: "UnknownAny" }],
  });
  const schema = createFileRegistry(file, () => undefined).getMessage(
    "grpc_cfg.client.internal.UnknownAny",
  );
  if (!schema) throw new Error("placeholder type missing");
  return schema;
})();

/** Type URLs of the stand-ins: `grpc-cfg.invalid/<index>/<placeholder>`. */
const PLACEHOLDER_URL = /^grpc-cfg\.invalid\/(\d+)\//;

/**
 * Writes `message` as JSON with `write`, showing each Any whose type `registry` lacks (or whose
 * bytes do not parse) as `{"@type": url, "value": base64}`, the form google.rpc details take
 * too, instead of failing the whole message.
 */
export function toJsonKeepingUnknownAnys(
  schema: DescMessage,
  message: Message,
  registry: Registry,
  write: (schema: DescMessage, message: Message, registry: Registry) => JsonValue,
): JsonValue {
  const copy = clone(schema, message);
  const unknown: Any[] = [];
  replaceUnknownAnys(schema, copy, registry, unknown);
  if (unknown.length === 0) return write(schema, message, registry);
  const json = write(schema, copy, createRegistry(registry, placeholder));
  return restore(json, unknown);
}

/** Swaps unknown Anys for stand-ins in place; true when something changed. */
function replaceUnknownAnys(
  schema: DescMessage,
  message: unknown,
  registry: Registry,
  unknown: Any[],
): boolean {
  if (typeof message !== "object" || message === null) return false;
  if (schema.typeName === "google.protobuf.Any") {
    const any = message as Any;
    if (!any.typeUrl) return false;
    const inner = registry.getMessage(typeNameOfUrl(any.typeUrl));
    if (inner) {
      try {
        const decoded = fromBinary(inner, any.value);
        // toJson decodes the bytes again, so a change inside must be packed back in.
        if (replaceUnknownAnys(inner, decoded, registry, unknown)) {
          any.value = toBinary(inner, decoded);
          return true;
        }
        return false;
      } catch {
        // Bytes that do not parse as their type: shown as base64 like an unknown type.
      }
    }
    unknown.push({ ...any });
    any.typeUrl = `grpc-cfg.invalid/${unknown.length - 1}/${placeholder.typeName}`;
    any.value = new Uint8Array(0);
    return true;
  }
  let changed = false;
  const fields = message as Record<string, unknown>;
  for (const field of schema.fields) {
    let value = fields[field.localName];
    if (field.oneof) {
      const oneof = fields[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      value = oneof?.case === field.localName ? oneof.value : undefined;
    }
    if (value === undefined || value === null) continue;
    const items =
      field.fieldKind === "message"
        ? [value]
        : (field.fieldKind === "list" && field.listKind === "message") ||
            (field.fieldKind === "map" && field.mapKind === "message")
          ? Object.values(value as object)
          : [];
    for (const item of items) {
      if (field.message && replaceUnknownAnys(field.message, item, registry, unknown)) {
        changed = true;
      }
    }
  }
  return changed;
}

function restore(json: JsonValue, unknown: readonly Any[]): JsonValue {
  if (Array.isArray(json)) return json.map((item) => restore(item, unknown));
  if (typeof json !== "object" || json === null) return json;
  const typeUrl = json["@type"];
  const index = typeof typeUrl === "string" ? PLACEHOLDER_URL.exec(typeUrl)?.[1] : undefined;
  const original = index === undefined ? undefined : unknown[Number(index)];
  if (original) {
    return {
      "@type": original.typeUrl,
      value: Buffer.from(original.value).toString("base64"),
    };
  }
  return Object.fromEntries(
    Object.entries(json).map(([key, value]) => [key, restore(value, unknown)]),
  );
}
