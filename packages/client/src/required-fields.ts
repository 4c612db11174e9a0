import { clone, create, createFileRegistry } from "@bufbuild/protobuf";
import type { DescFile, DescMessage, Registry } from "@bufbuild/protobuf";
import {
  FeatureSet_FieldPresence,
  FieldDescriptorProto_Label,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import type { DescriptorProto, FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/**
 * The JSON path of the first proto2 `required` (or editions LEGACY_REQUIRED) field that
 * `message` lacks, e.g. `id` or `filter.key` or `items[2].sku`; undefined when none is missing.
 * Nested messages are checked where they are set.
 */
export function missingRequiredField(schema: DescMessage, message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  for (const field of schema.fields) {
    const own = Object.prototype.hasOwnProperty.call(fields, field.localName);
    const value = field.oneof ? undefined : fields[field.localName];
    if (
      field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED &&
      (!own || value === undefined)
    ) {
      return field.jsonName;
    }
    const inner = (path: string, schema: DescMessage, item: unknown): string | undefined => {
      const missing = missingRequiredField(schema, item);
      return missing === undefined ? undefined : `${path}.${missing}`;
    };
    let found: string | undefined;
    if (field.fieldKind === "message" && value !== undefined) {
      found = inner(field.jsonName, field.message, value);
    } else if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        found ??= inner(`${field.jsonName}[${index}]`, field.message, item);
      }
    } else if (field.fieldKind === "map" && field.mapKind === "message" && value) {
      for (const [key, item] of Object.entries(value)) {
        found ??= inner(`${field.jsonName}[${JSON.stringify(key)}]`, field.message, item);
      }
    }
    if (found !== undefined) return found;
  }
  for (const oneof of schema.oneofs) {
    const selected = fields[oneof.localName] as { case?: string; value?: unknown } | undefined;
    const field = oneof.fields.find((f) => f.localName === selected?.case);
    if (field?.fieldKind !== "message") continue;
    const missing = missingRequiredField(field.message, selected?.value);
    if (missing !== undefined) return `${field.jsonName}.${missing}`;
  }
  return undefined;
}

const lenientRegistries = new WeakMap<Registry, Registry>();

/**
 * The same types as `registry` with every required field made optional, so that a message
 * lacking one can still be written as JSON (protobuf-es's toJson has no option to skip the
 * check). Messages decoded with the strict types convert with these: same names, same fields.
 */
export function lenientRegistry(registry: Registry): Registry {
  let lenient = lenientRegistries.get(registry);
  if (!lenient) {
    lenient = createFileRegistry(
      create(FileDescriptorSetSchema, { file: filesOf(registry).map(withoutRequired) }),
    );
    lenientRegistries.set(registry, lenient);
  }
  return lenient;
}

/** Every file behind the registry's types, imports first, one per name (later ones win). */
function filesOf(registry: Registry): FileDescriptorProto[] {
  const byName = new Map<string, DescFile>();
  const collect = (file: DescFile): void => {
    byName.set(file.proto.name, file);
    for (const dependency of file.dependencies) {
      if (!byName.has(dependency.proto.name)) collect(dependency);
    }
  };
  for (const type of registry) collect(type.file);
  const ordered: FileDescriptorProto[] = [];
  const visited = new Set<string>();
  const visit = (file: DescFile): void => {
    if (visited.has(file.proto.name)) return;
    visited.add(file.proto.name);
    for (const dependency of file.dependencies)
      visit(byName.get(dependency.proto.name) ?? dependency);
    ordered.push(file.proto);
  };
  for (const file of byName.values()) visit(file);
  return ordered;
}

function withoutRequired(file: FileDescriptorProto): FileDescriptorProto {
  const copy = clone(FileDescriptorProtoSchema, file);
  const relax = (message: DescriptorProto): void => {
    for (const field of [...message.field, ...message.extension]) {
      if (field.label === FieldDescriptorProto_Label.REQUIRED) {
        field.label = FieldDescriptorProto_Label.OPTIONAL;
      }
      const features = field.options?.features;
      if (features?.fieldPresence === FeatureSet_FieldPresence.LEGACY_REQUIRED) {
        features.fieldPresence = FeatureSet_FieldPresence.EXPLICIT;
      }
    }
    message.nestedType.forEach(relax);
  };
  copy.messageType.forEach(relax);
  return copy;
}
