import { randomBytes } from "node:crypto";
import type { JsonValue, SymbolDescription } from "@grpc-cfg/client";

/**
 * Keeps integers typed beyond ±2^53 exact. `JSON.parse` would round 9007199254740993 to
 * 9007199254740992 before the request's fields are known, and an int64 field would then get
 * another number than the one typed. So the JSON text is read with such literals replaced by
 * markers, and each marker then becomes the typed digits (as a string, which proto3 JSON
 * takes for every integer field) or, where a string would change the meaning (a
 * google.protobuf.Value is a double, a string field must not take a number), the number
 * `JSON.parse` would have made.
 */

/** Finds a description by full name; undefined when the server does not know it. */
export type TypeLookup = (typeName: string) => Promise<SymbolDescription | undefined>;

/** A JSON text's parse, with its big integer literals still as markers. */
export interface ProtectedJson {
  readonly value: JsonValue;
  /** The literals, in marker order. */
  readonly literals: readonly string[];
}

const INTEGER_TYPES = new Set([
  "int64",
  "uint64",
  "sint64",
  "fixed64",
  "sfixed64",
  "int32",
  "uint32",
  "sint32",
  "fixed32",
  "sfixed32",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
]);

/** Types whose JSON numbers are doubles, whatever their size. */
const DOUBLE_VALUES = new Set([
  "google.protobuf.Value",
  "google.protobuf.Struct",
  "google.protobuf.ListValue",
]);

/** Well-known types an Any holds as `{"@type": …, "value": <their JSON>}`. */
const ANY_VALUE_TYPES = new Set([
  ...DOUBLE_VALUES,
  ...[...INTEGER_TYPES].filter((type) => type.startsWith("google.")),
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
  "google.protobuf.BoolValue",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
  "google.protobuf.Duration",
  "google.protobuf.Timestamp",
  "google.protobuf.FieldMask",
]);

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** What may come right before a value in JSON (or nothing). */
const BEFORE_VALUE = /[\s[{,:]/;

/** Reads JSON, with the big integer literals outside strings turned into markers. */
export function protectBigIntegers(
  text: string,
  mark: string,
): { text: string; literals: string[] } {
  const literals: string[] = [];
  let out = "";
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== "-" && (char < "0" || char > "9")) continue;
    if (i > 0 && !BEFORE_VALUE.test(text[i - 1] as string)) continue;
    NUMBER.lastIndex = i;
    const literal = NUMBER.exec(text)?.[0];
    if (literal === undefined) continue;
    const end = i + literal.length;
    const after = text[end];
    const isInteger = !/[.eE]/.test(literal);
    // Only a whole token: "123abc" is left for JSON.parse to refuse.
    if (
      isInteger &&
      (after === undefined || !/[\w.]/.test(after)) &&
      !Number.isSafeInteger(Number(literal))
    ) {
      out += `${text.slice(copied, i)}"${mark}${literals.length}"`;
      literals.push(literal);
      copied = end;
    }
    i = end - 1;
  }
  return { text: literals.length === 0 ? text : out + text.slice(copied), literals };
}

/** Parses request JSON, keeping integers beyond ±2^53 exact where the field takes them. */
export class BigIntegers {
  readonly #lookup: TypeLookup;
  readonly #descriptions = new Map<string, Promise<SymbolDescription | undefined>>();
  /** Makes markers unlike any string a person would type (a private-use character, which JSON takes raw in a string). */
  readonly #mark = `\uE000big-${randomBytes(6).toString("hex")}:`;
  /** Typed literal by the number JSON.parse makes of it, for error messages. */
  readonly #rounded = new Map<string, string>();

  constructor(lookup: TypeLookup) {
    this.#lookup = lookup;
  }

  /** `JSON.parse`, with big integer literals as markers (see {@link restore}). */
  parse(text: string): ProtectedJson {
    const { text: protectedText, literals } = protectBigIntegers(text, this.#mark);
    if (literals.length === 0) return { value: JSON.parse(text) as JsonValue, literals };
    try {
      return { value: JSON.parse(protectedText) as JsonValue, literals };
    } catch {
      // Report the error of the text as typed (positions, tokens).
      return { value: JSON.parse(text) as JsonValue, literals: [] };
    }
  }

  /** Replaces the markers of `parsed`, a message of `typeName`, by what each field takes. */
  async restore(parsed: ProtectedJson, typeName: string): Promise<JsonValue> {
    if (parsed.literals.length === 0) return parsed.value;
    return this.#restore(parsed.value, typeName, parsed.literals);
  }

  /** `message` with each rounded number it quotes put back as typed. */
  explain(message: string): string {
    let explained = message;
    for (const [rounded, literal] of this.#rounded) {
      const pattern = rounded.replace(/[.+]/g, "\\$&");
      explained = explained.replace(new RegExp(`(?<![\\d.])${pattern}(?![\\d.])`, "g"), literal);
    }
    return explained;
  }

  async #restore(
    value: JsonValue,
    type: string | undefined,
    literals: readonly string[],
  ): Promise<JsonValue> {
    if (typeof value === "string") {
      const literal = this.#literal(value, literals);
      if (literal === undefined) return value;
      // Some errors quote the number parsed from the digits (int32 fields); say it as typed.
      this.#rounded.set(String(Number(literal)), literal);
      if (
        type !== undefined &&
        (INTEGER_TYPES.has(type) || (await this.#describe(type))?.kind === "enum")
      ) {
        return literal;
      }
      return Number(literal);
    }
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
      const element = type === "google.protobuf.ListValue" ? "google.protobuf.Value" : type;
      return Promise.all(value.map((item) => this.#restore(item, element, literals)));
    }
    const entries = Object.entries(value);
    if (type !== undefined && DOUBLE_VALUES.has(type)) {
      return this.#object(entries, () => "google.protobuf.Value", literals);
    }
    if (type === "google.protobuf.Any") return this.#any(value, literals);
    const description = type === undefined ? undefined : await this.#describe(type);
    if (description?.kind !== "message") return this.#object(entries, () => undefined, literals);
    const fields = description.fields;
    return this.#object(
      entries,
      (key) => {
        const field = fields.find((f) => f.jsonName === key || f.name === key);
        if (field?.label === "map") return /^map<[^,]+,\s*(.+)>$/.exec(field.type)?.[1];
        return field?.type;
      },
      literals,
      (key) => fields.find((f) => f.jsonName === key || f.name === key)?.label === "map",
    );
  }

  async #any(value: { [key: string]: JsonValue }, literals: readonly string[]): Promise<JsonValue> {
    const url = value["@type"];
    const typeName = typeof url === "string" ? url.slice(url.lastIndexOf("/") + 1) : undefined;
    if (typeName !== undefined && ANY_VALUE_TYPES.has(typeName)) {
      const inner = value["value"];
      return inner === undefined
        ? value
        : { ...value, value: await this.#restore(inner, typeName, literals) };
    }
    const { "@type": _, ...fields } = value;
    const restored = await this.#restore(fields, typeName, literals);
    return { ...(url === undefined ? {} : { "@type": url }), ...(restored as object) };
  }

  async #object(
    entries: [string, JsonValue][],
    typeOf: (key: string) => string | undefined,
    literals: readonly string[],
    isMap: (key: string) => boolean = () => false,
  ): Promise<JsonValue> {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, item] of entries) {
      const type = typeOf(key);
      if (isMap(key) && item !== null && typeof item === "object" && !Array.isArray(item)) {
        result[key] = await this.#object(Object.entries(item), () => type, literals);
      } else {
        result[key] = await this.#restore(item, type, literals);
      }
    }
    return result;
  }

  #literal(value: string, literals: readonly string[]): string | undefined {
    if (!value.startsWith(this.#mark)) return undefined;
    return literals[Number(value.slice(this.#mark.length))];
  }

  #describe(typeName: string): Promise<SymbolDescription | undefined> {
    let found = this.#descriptions.get(typeName);
    if (!found) {
      found = this.#lookup(typeName).catch(() => undefined);
      this.#descriptions.set(typeName, found);
    }
    return found;
  }
}
