import { fromBinary } from "@bufbuild/protobuf";
import type { DescMessage, JsonValue, Message, Registry } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";

/**
 * Where a call finds message types. A google.protobuf.Any may hold a type from a file the
 * method's files do not import, so types are loaded as Any values name them.
 */
export interface TypeSource {
  /** Every type known so far (changes as types are loaded). */
  readonly registry: Registry;
  /** Loads the named message types where the server knows them; never rejects. */
  loadTypes(typeNames: Iterable<string>): Promise<void>;
}

/** The message name in an Any type URL (`type.googleapis.com/pkg.Msg` → `pkg.Msg`). */
export function typeNameOfUrl(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
}

/** Loads the types named by `@type` anywhere in a JSON request, so that it can be parsed. */
export async function loadJsonAnyTypes(json: JsonValue, types: TypeSource): Promise<void> {
  const names = new Set<string>();
  const visit = (value: JsonValue): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null) return;
    const typeUrl = value["@type"];
    if (typeof typeUrl === "string") names.add(typeNameOfUrl(typeUrl));
    Object.values(value).forEach(visit);
  };
  visit(json);
  if (names.size > 0) await types.loadTypes(names);
}

/**
 * Loads the types of every Any in a decoded message, including Anys packed inside Anys (their
 * contents can only be walked once their type is known).
 */
export async function loadMessageAnyTypes(
  schema: DescMessage,
  message: Message,
  types: TypeSource,
): Promise<void> {
  const tried = new Set<string>();
  let pending: { schema: DescMessage; message: unknown }[] = [{ schema, message }];
  while (pending.length > 0) {
    const found: Any[] = [];
    for (const item of pending) collectAnys(item.schema, item.message, found);
    const names = found.map((any) => typeNameOfUrl(any.typeUrl)).filter((n) => !tried.has(n));
    names.forEach((name) => tried.add(name));
    if (names.length > 0) await types.loadTypes(names);
    pending = [];
    for (const any of found) {
      const inner = types.registry.getMessage(typeNameOfUrl(any.typeUrl));
      if (!inner) continue;
      try {
        pending.push({ schema: inner, message: fromBinary(inner, any.value) });
      } catch {
        // Bytes that do not parse fail again, with a message, in the JSON conversion.
      }
    }
  }
}

function collectAnys(schema: DescMessage, message: unknown, found: Any[]): void {
  if (typeof message !== "object" || message === null) return;
  if (schema.typeName === "google.protobuf.Any") {
    if ((message as Any).typeUrl) found.push(message as Any);
    return;
  }
  const fields = message as Record<string, unknown>;
  for (const field of schema.fields) {
    let value: unknown;
    if (field.oneof) {
      const oneof = fields[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      value = oneof?.case === field.localName ? oneof.value : undefined;
    } else {
      value = fields[field.localName];
    }
    if (value === undefined || value === null) continue;
    if (field.fieldKind === "message") collectAnys(field.message, value, found);
    if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) {
      for (const item of value) collectAnys(field.message, item, found);
    }
    if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const item of Object.values(value as object)) collectAnys(field.message, item, found);
    }
  }
}
