import { fromJson, toJson } from "@bufbuild/protobuf";
import type { DescField, DescMessage, JsonValue, Message, Registry } from "@bufbuild/protobuf";
import { DynamicClientError } from "./errors.js";
import { lenientRegistry } from "./required-fields.js";
import { toJsonKeepingUnknownAnys } from "./unknown-any.js";

/** Options for turning response messages into JSON. */
export interface JsonOutputOptions {
  /** Include fields holding their default value (0, "", false, empty lists). */
  emitDefaults?: boolean;
}

/**
 * Parses proto3 JSON into a message of `schema`. Unknown fields and wrong types are rejected
 * with a DynamicClientError naming the field's JSON path and what was wrong with it.
 *
 * @param context Says which input this is in the error, e.g. `request for /pkg.Svc/Method`.
 */
export function messageFromJson(
  schema: DescMessage,
  json: JsonValue,
  registry: Registry,
  context: string,
): Message {
  try {
    return fromJson(schema, json, { registry });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const fieldPath = failingPath(schema, json, registry);
    const where = fieldPath ? `field "${fieldPath}": ` : "";
    throw new DynamicClientError("invalid-input", `invalid ${context}: ${where}${reason}`, {
      cause: error,
      ...(fieldPath ? { fieldPath } : {}),
    });
  }
}

/**
 * Serializes a message to proto3 JSON (int64 as strings, enums by name, WKTs mapped). A
 * missing proto2 required field is left out, and an Any of a type `registry` lacks is written
 * as `{"@type": url, "value": base64}`; other failures throw DynamicClientError.
 */
export function messageToJson(
  schema: DescMessage,
  message: Message,
  registry: Registry,
  options: JsonOutputOptions = {},
): JsonValue {
  const write = (desc: DescMessage, value: Message, types: Registry): JsonValue =>
    toJson(desc, value, { registry: types, alwaysEmitImplicit: options.emitDefaults ?? false });
  try {
    return write(schema, message, registry);
  } catch (error) {
    // toJson refuses a message lacking a proto2 required field, and some peers send such
    // messages (ts-proto leaves out a required field holding 0 or ""). It also refuses an Any
    // of a type no descriptor describes. Showing the message (the field unset, the Any as
    // base64) beats showing nothing.
    const lenient = lenientRegistry(registry);
    const lenientSchema = lenient.getMessage(schema.typeName);
    if (lenientSchema) {
      try {
        return toJsonKeepingUnknownAnys(lenientSchema, message, lenient, write);
      } catch {
        // Something else is wrong: report the original error.
      }
    }
    throw writeError(schema, error);
  }
}

function writeError(schema: DescMessage, error: unknown): DynamicClientError {
  const reason = error instanceof Error ? error.message : String(error);
  const unknownAny = /"([^"]*)" is not in the type registry/.exec(reason);
  const why = unknownAny
    ? `it holds a google.protobuf.Any of type "${unknownAny[1]}", which the server's ` +
      "reflection does not describe"
    : reason;
  return new DynamicClientError(
    "bad-descriptor",
    `cannot write a ${schema.typeName} message as JSON: ${why}`,
    { cause: error },
  );
}

function parses(schema: DescMessage, json: JsonValue, registry: Registry): boolean {
  try {
    fromJson(schema, json, { registry });
    return true;
  } catch {
    return false;
  }
}

function isObject(json: JsonValue): json is { [key: string]: JsonValue } {
  return typeof json === "object" && json !== null && !Array.isArray(json);
}

/** Messages whose JSON form is not an object of fields (Timestamp is a string, etc.). */
function hasSpecialJson(schema: DescMessage): boolean {
  return schema.typeName.startsWith("google.protobuf.");
}

/**
 * Finds which field makes `json` fail to parse by parsing one key at a time and descending
 * into message values, e.g. `note.author.address.city` or `items[2].sku`.
 */
function failingPath(schema: DescMessage, json: JsonValue, registry: Registry): string | undefined {
  if (!isObject(json) || hasSpecialJson(schema)) return undefined;
  for (const [key, value] of Object.entries(json)) {
    if (parses(schema, { [key]: value }, registry)) continue;
    const field = schema.fields.find((f) => f.jsonName === key || f.name === key);
    if (!field) return key;
    return key + (nestedPath(schema, field, key, value, registry) ?? "");
  }
  return undefined;
}

function nestedPath(
  parent: DescMessage,
  field: DescField,
  key: string,
  value: JsonValue,
  registry: Registry,
): string | undefined {
  const child = (suffix: string, schema: DescMessage | undefined, item: JsonValue): string => {
    const inner = schema ? failingPath(schema, item, registry) : undefined;
    return inner ? `${suffix}.${inner}` : suffix;
  };
  if (field.fieldKind === "message") {
    const inner = failingPath(field.message, value, registry);
    return inner ? `.${inner}` : undefined;
  }
  if (field.fieldKind === "list" && Array.isArray(value)) {
    const schema = field.listKind === "message" ? field.message : undefined;
    const index = value.findIndex((item) => !parses(parent, { [key]: [item] }, registry));
    return index < 0 ? undefined : child(`[${index}]`, schema, value[index] ?? null);
  }
  if (field.fieldKind === "map" && isObject(value)) {
    const schema = field.mapKind === "message" ? field.message : undefined;
    for (const [mapKey, item] of Object.entries(value)) {
      if (!parses(parent, { [key]: { [mapKey]: item } }, registry)) {
        return child(`[${JSON.stringify(mapKey)}]`, schema, item);
      }
    }
  }
  return undefined;
}
