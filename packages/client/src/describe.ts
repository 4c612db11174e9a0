import { ScalarType } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { DescEnum, DescField, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import { defaultText, extensionRanges, hasDefault, isGroup, isProto2 } from "./describe-proto2.js";
import { leadingComment } from "./source-comments.js";
import type { CommentedDesc } from "./source-comments.js";

/** The four gRPC call kinds, named as protobuf-es names them. */
export type CallKind = "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";

/** What every description carries. */
interface DescriptionBase {
  /** Fully qualified name, e.g. `shop.v1.UserService`. */
  fullName: string;
  /** The .proto file that defines it. */
  file: string;
  /** Its leading comment in the .proto, when the server sent source info. */
  comment?: string;
  /** Proto-like text for people to read. */
  text: string;
}

/** A method: its path, call kind and message types. */
export interface MethodDescription extends DescriptionBase {
  kind: "method";
  name: string;
  /** The HTTP/2 path, e.g. `/shop.v1.UserService/GetUser`. */
  path: string;
  callKind: CallKind;
  inputType: string;
  outputType: string;
}

/** A service and its methods. */
export interface ServiceDescription extends DescriptionBase {
  kind: "service";
  methods: MethodDescription[];
}

/** One field of a message. */
export interface FieldDescription {
  name: string;
  /** The name the proto3 JSON mapping uses. */
  jsonName: string;
  number: number;
  /** `string`, `int64`, a full message/enum name, or `map<K, V>`. */
  type: string;
  /**
   * `optional`: proto3 `optional`, or a proto2 field outside a oneof; `required`: proto2
   * `required` (or editions LEGACY_REQUIRED), which `invoke` insists on.
   */
  label: "singular" | "optional" | "required" | "repeated" | "map";
  /** A proto2 `[default = …]`, as the .proto spells it (strings and bytes quoted). */
  defaultValue?: string;
  /** The oneof the field belongs to, if any. */
  oneof?: string;
  comment?: string;
}

/** A message and its fields (nested definitions appear in `text`). */
export interface MessageDescription extends DescriptionBase {
  kind: "message";
  fields: FieldDescription[];
}

/** An enum and its values. */
export interface EnumDescription extends DescriptionBase {
  kind: "enum";
  values: { name: string; number: number; comment?: string }[];
}

/** What `describe` returns: structured data plus readable `text`. */
export type SymbolDescription =
  ServiceDescription | MethodDescription | MessageDescription | EnumDescription;

/** Describes a service with all its methods. */
export function describeService(service: DescService): ServiceDescription {
  const methods = service.methods.map(describeMethod);
  const body = service.methods.map((method) => indent(commented(method, rpcLine(method))));
  return {
    kind: "service",
    fullName: service.typeName,
    file: service.file.proto.name,
    ...commentOf(service),
    methods,
    text: commented(service, `service ${service.name} {\n${body.join("\n")}\n}`, service),
  };
}

/** Describes one method. */
export function describeMethod(method: DescMethod): MethodDescription {
  const fullName = `${method.parent.typeName}.${method.name}`;
  return {
    kind: "method",
    fullName,
    file: method.parent.file.proto.name,
    ...commentOf(method),
    name: method.name,
    path: `/${method.parent.typeName}/${method.name}`,
    callKind: method.methodKind,
    inputType: method.input.typeName,
    outputType: method.output.typeName,
    text: `// ${fullName} (${method.parent.file.proto.name})\n${commented(method, rpcLine(method))}`,
  };
}

/** Describes a message, its fields and (in `text`) its nested messages and enums. */
export function describeMessage(message: DescMessage): MessageDescription {
  return {
    kind: "message",
    fullName: message.typeName,
    file: message.file.proto.name,
    ...commentOf(message),
    fields: message.fields.map(describeField),
    text: commented(message, messageText(message), message),
  };
}

/** Describes an enum and its values. */
export function describeEnum(descEnum: DescEnum): EnumDescription {
  return {
    kind: "enum",
    fullName: descEnum.typeName,
    file: descEnum.file.proto.name,
    ...commentOf(descEnum),
    values: descEnum.values.map((value) => ({
      name: value.name,
      number: value.number,
      ...commentOf(value),
    })),
    text: commented(descEnum, enumText(descEnum), descEnum),
  };
}

function describeField(field: DescField): FieldDescription {
  return {
    name: field.name,
    jsonName: field.jsonName,
    number: field.number,
    type: fieldType(field),
    label: fieldLabel(field),
    ...(hasDefault(field) ? { defaultValue: defaultText(field) } : {}),
    ...(field.oneof ? { oneof: field.oneof.name } : {}),
    ...commentOf(field),
  };
}

function rpcLine(method: DescMethod): string {
  const clientStream =
    method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming";
  const serverStream =
    method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming";
  const input = `${clientStream ? "stream " : ""}${method.input.typeName}`;
  const output = `${serverStream ? "stream " : ""}${method.output.typeName}`;
  return `rpc ${method.name}(${input}) returns (${output});`;
}

function messageText(message: DescMessage): string {
  return `message ${message.name} {\n${messageBody(message).join("\n")}\n}`;
}

function messageBody(message: DescMessage): string[] {
  const lines: string[] = [];
  for (const member of message.members) {
    if (member.kind === "oneof") {
      const fields = member.fields.map((field) => indent(commented(field, fieldLine(field))));
      lines.push(indent(`oneof ${member.name} {\n${fields.join("\n")}\n}`));
    } else {
      lines.push(indent(commented(member, fieldLine(member))));
    }
  }
  lines.push(...extensionRanges(message).map(indent));
  const groups = new Set(message.fields.filter(isGroup).map((field) => field.message));
  for (const nested of message.nestedMessages) {
    if (nested.proto.options?.mapEntry) continue; // Shown as map<K, V> on the field.
    if (groups.has(nested)) continue; // Shown inline as `group` on the field.
    lines.push(indent(commented(nested, messageText(nested))));
  }
  for (const nested of message.nestedEnums) lines.push(indent(commented(nested, enumText(nested))));
  return lines;
}

function enumText(descEnum: DescEnum): string {
  const values = descEnum.values.map((value) =>
    indent(commented(value, `${value.name} = ${value.number};`)),
  );
  return `enum ${descEnum.name} {\n${values.join("\n")}\n}`;
}

function fieldLine(field: DescField): string {
  const label = fieldLabel(field);
  const prefix = label === "singular" || label === "map" ? "" : `${label} `;
  const options = hasDefault(field) ? ` [default = ${defaultText(field)}]` : "";
  if (isGroup(field)) {
    const body = messageBody(field.message).join("\n");
    return `${prefix}group ${field.message.name} = ${field.number}${options} {\n${body}\n}`;
  }
  return `${prefix}${fieldType(field)} ${field.name} = ${field.number}${options};`;
}

function fieldLabel(field: DescField): FieldDescription["label"] {
  if (field.fieldKind === "list") return "repeated";
  if (field.fieldKind === "map") return "map";
  if (field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) return "required";
  if (field.proto.proto3Optional) return "optional";
  // proto2 spells out `optional` on every singular field outside a oneof.
  if (isProto2(field) && !field.oneof) return "optional";
  return "singular";
}

function fieldType(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return scalarName(field.scalar);
    case "enum":
      return field.enum.typeName;
    case "message":
      return field.message.typeName;
    case "list":
      if (field.listKind === "scalar") return scalarName(field.scalar);
      return field.listKind === "enum" ? field.enum.typeName : field.message.typeName;
    case "map": {
      const value =
        field.mapKind === "scalar"
          ? scalarName(field.scalar)
          : field.mapKind === "enum"
            ? field.enum.typeName
            : field.message.typeName;
      return `map<${scalarName(field.mapKey)}, ${value}>`;
    }
  }
}

function scalarName(scalar: ScalarType): string {
  return ScalarType[scalar].toLowerCase();
}

function commentOf(desc: CommentedDesc): { comment?: string } {
  const comment = leadingComment(desc);
  return comment === undefined ? {} : { comment };
}

/** Prefixes `text` with the definition's comment as `//` lines (and a header for top level). */
function commented(
  desc: CommentedDesc,
  text: string,
  header?: DescService | DescMessage | DescEnum,
): string {
  const comment = leadingComment(desc);
  const lines = comment
    ? comment.split("\n").map((line) => `//${line ? ` ${line.trim()}` : ""}`)
    : [];
  if (header) lines.unshift(`// ${header.typeName} (${header.file.proto.name})`);
  return [...lines, text].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}
