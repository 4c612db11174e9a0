import type { DescEnum, DescFile, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import type { SourceCodeInfo_Location } from "@bufbuild/protobuf/wkt";

// Source locations of each file, by path ("6,0,2,1" = service 0, method 1). Built once per
// file on first use: looking locations up by scanning (as protoplugin's getComments does)
// is quadratic in the file's size and dominated the run time on googleapis.
const indexes = new WeakMap<DescFile, Map<string, SourceCodeInfo_Location>>();

/** A declaration whose source location can be described: services, rpcs, messages, enums. */
type Located = DescService | DescMethod | DescMessage | DescEnum;

function fileOf(desc: Located): DescFile {
  return desc.kind === "rpc" ? desc.parent.file : desc.file;
}

// Descriptor paths: 4 = message_type, 5 = enum_type, 6 = service, 2 = method (in a service);
// in a message, 3 = nested_type and 4 = enum_type.
function pathOf(desc: Located, file: DescFile): number[] {
  if (desc.kind === "service") return [6, file.services.indexOf(desc)];
  if (desc.kind === "rpc") {
    return [6, file.services.indexOf(desc.parent), 2, desc.parent.methods.indexOf(desc)];
  }
  const parent = desc.parent;
  if (parent === undefined) {
    return desc.kind === "message"
      ? [4, file.messages.indexOf(desc)]
      : [5, file.enums.indexOf(desc)];
  }
  return desc.kind === "message"
    ? [...pathOf(parent, file), 3, parent.nestedMessages.indexOf(desc)]
    : [...pathOf(parent, file), 4, parent.nestedEnums.indexOf(desc)];
}

function locationOf(desc: Located): SourceCodeInfo_Location | undefined {
  const file = fileOf(desc);
  return indexOf(file).get(pathOf(desc, file).join(","));
}

function indexOf(file: DescFile): Map<string, SourceCodeInfo_Location> {
  let index = indexes.get(file);
  if (index === undefined) {
    index = new Map();
    for (const loc of file.proto.sourceCodeInfo?.location ?? []) {
      // Declarations are made once: keep the first location of a path.
      const key = loc.path.join(",");
      if (!index.has(key)) index.set(key, loc);
    }
    indexes.set(file, index);
  }
  return index;
}

/** The leading comment of a service or rpc (line breaks normalised to LF), or "". */
export function leadingComment(desc: DescService | DescMethod): string {
  return (locationOf(desc)?.leadingComments ?? "").replace(/\r\n?/g, "\n");
}

/**
 * `file.proto:line:column` of a service, rpc, message or enum declaration (1-based), or just
 * the file name when the request carries no source info for it (buf only sends it for files
 * to generate).
 */
export function describeLocation(desc: Located): string {
  const file = fileOf(desc);
  const span = locationOf(desc)?.span;
  if (span === undefined || span.length < 2) return file.proto.name;
  return `${file.proto.name}:${(span[0] ?? 0) + 1}:${(span[1] ?? 0) + 1}`;
}

/**
 * `file.proto:line:column` of the file's `syntax` or `edition` declaration (buf records an
 * edition under the syntax field's path), or just the file name without source info.
 */
export function describeSyntaxLocation(file: DescFile): string {
  const index = indexOf(file);
  const span = (index.get("14") ?? index.get("12"))?.span;
  if (span === undefined || span.length < 2) return file.proto.name;
  return `${file.proto.name}:${(span[0] ?? 0) + 1}:${(span[1] ?? 0) + 1}`;
}

/** The 1-based line a declaration starts on, when the request carries source info for it. */
export function lineOf(desc: Located): number | undefined {
  const line = locationOf(desc)?.span[0];
  return line === undefined ? undefined : line + 1;
}
