import { isFieldSet } from "@bufbuild/protobuf";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import {
  Edition,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

// What `describe` shows only for proto2: groups, defaults and extension ranges.

/** Highest field number; `extensions 1000 to max` ends there. */
const MAX_FIELD_NUMBER = 536_870_911;

/** `extensions 100 to 199;` lines for the message's extension ranges. */
export function extensionRanges(message: DescMessage): string[] {
  return message.proto.extensionRange.map((range) => {
    const last = range.end - 1;
    const to = last === range.start ? "" : ` to ${last === MAX_FIELD_NUMBER ? "max" : last}`;
    return `extensions ${range.start}${to};`;
  });
}

/** Whether the field is declared in a proto2 file. */
export function isProto2(field: DescField): boolean {
  return field.parent.file.edition === Edition.EDITION_PROTO2;
}

/** A proto2 group: its message is defined inline, on the field. */
export function isGroup(field: DescField): field is DescField & { message: DescMessage } {
  return (
    isProto2(field) &&
    field.proto.type === FieldDescriptorProto_Type.GROUP &&
    field.message !== undefined
  );
}

/** Whether the field has a proto2 `[default = …]`. */
export function hasDefault(field: DescField): boolean {
  return isFieldSet(field.proto, FieldDescriptorProtoSchema.field.defaultValue);
}

/** The default as the .proto spells it: the descriptor keeps bytes escaped, strings raw. */
export function defaultText(field: DescField): string {
  const value = field.proto.defaultValue;
  if (field.proto.type === FieldDescriptorProto_Type.STRING) return quote(value);
  if (field.proto.type === FieldDescriptorProto_Type.BYTES) return `"${value}"`;
  return value;
}

function quote(text: string): string {
  const escaped = text.replace(/[\\"\u0000-\u001f]/g, (char) => {
    const named: Record<string, string> = {
      "\\": "\\\\",
      '"': '\\"',
      "\n": "\\n",
      "\r": "\\r",
      "\t": "\\t",
    };
    return named[char] ?? `\\${char.charCodeAt(0).toString(8).padStart(3, "0")}`;
  });
  return `"${escaped}"`;
}
