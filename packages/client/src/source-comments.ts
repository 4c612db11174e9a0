import type {
  DescEnum,
  DescEnumValue,
  DescField,
  DescFile,
  DescMessage,
  DescMethod,
  DescService,
} from "@bufbuild/protobuf";

/** Anything a .proto comment can be attached to. */
export type CommentedDesc =
  DescMessage | DescEnum | DescEnumValue | DescService | DescMethod | DescField;

// Field numbers inside descriptor.proto that SourceCodeInfo paths are made of.
const FILE_MESSAGE = 4;
const FILE_ENUM = 5;
const FILE_SERVICE = 6;
const MESSAGE_FIELD = 2;
const MESSAGE_NESTED = 3;
const MESSAGE_ENUM = 4;
const ENUM_VALUE = 2;
const SERVICE_METHOD = 2;

const commentsByFile = new WeakMap<DescFile, Map<string, string>>();

/**
 * The leading comment of a definition, trimmed, or undefined when there is none or the
 * server stripped source info from its descriptors.
 */
export function leadingComment(desc: CommentedDesc): string | undefined {
  const file = fileOf(desc);
  let comments = commentsByFile.get(file);
  if (!comments) {
    comments = new Map();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const text = location.leadingComments.trim();
      if (text) comments.set(location.path.join("."), text);
    }
    commentsByFile.set(file, comments);
  }
  return comments.get(pathOf(desc).join("."));
}

function fileOf(desc: CommentedDesc): DescFile {
  switch (desc.kind) {
    case "enum_value":
      return desc.parent.file;
    case "rpc":
      return desc.parent.file;
    case "field":
      return desc.parent.file;
    default:
      return desc.file;
  }
}

/** The SourceCodeInfo path of a definition: field numbers and indexes from the file down. */
function pathOf(desc: CommentedDesc): number[] {
  switch (desc.kind) {
    case "message": {
      if (!desc.parent) return [FILE_MESSAGE, desc.file.proto.messageType.indexOf(desc.proto)];
      return [
        ...pathOf(desc.parent),
        MESSAGE_NESTED,
        desc.parent.proto.nestedType.indexOf(desc.proto),
      ];
    }
    case "enum": {
      if (!desc.parent) return [FILE_ENUM, desc.file.proto.enumType.indexOf(desc.proto)];
      return [...pathOf(desc.parent), MESSAGE_ENUM, desc.parent.proto.enumType.indexOf(desc.proto)];
    }
    case "enum_value":
      return [...pathOf(desc.parent), ENUM_VALUE, desc.parent.proto.value.indexOf(desc.proto)];
    case "service":
      return [FILE_SERVICE, desc.file.proto.service.indexOf(desc.proto)];
    case "rpc":
      return [...pathOf(desc.parent), SERVICE_METHOD, desc.parent.proto.method.indexOf(desc.proto)];
    case "field":
      return [...pathOf(desc.parent), MESSAGE_FIELD, desc.parent.proto.field.indexOf(desc.proto)];
  }
}
