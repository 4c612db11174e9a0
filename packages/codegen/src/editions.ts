/**
 * Editions files are refused. ts-proto, which writes the messages the plugin's output builds
 * on, reads only `syntax`: it ignores every editions feature. Its code for an editions file
 * therefore has the wrong wire format and the wrong presence semantics, and nothing says so.
 * For example, a DELIMITED field is written length-prefixed and dropped when read, and edition
 * 2023's default EXPLICIT presence turns into proto3's implicit presence, so a field set to 0
 * is not sent. A message declared in an editions file and used from a proto2/proto3 file has
 * the same problem, so such a use is refused as well.
 */
import type { DescEnum, DescFile, DescMessage, DescMethod } from "@bufbuild/protobuf";
import { Edition } from "@bufbuild/protobuf/wkt";
import { CodegenError } from "./errors.js";
import { describeLocation, describeSyntaxLocation } from "./source-location.js";
import { allMessages } from "./ts-proto-usage.js";

const isEditionsFile = (file: DescFile): boolean => file.proto.syntax === "editions";

/** `edition = "2023"` as written in the file, from the descriptor's edition. */
function editionText(file: DescFile): string {
  const name = Edition[file.edition] ?? String(file.edition);
  return `edition = "${name.replace(/^EDITION_/, "")}"`;
}

const WHY =
  "ts-proto, which generates the messages, does not implement editions features " +
  "(field presence, delimited messages, packed or expanded repeated fields, closed enums…), so the " +
  "generated code would read and write the wrong wire format";
const FIX = 'use syntax = "proto3" (or "proto2")';

/**
 * Throws a {@link CodegenError} when `file` is an editions file, or when one of its fields or
 * rpcs uses a message or enum declared in an editions file. The error points at the
 * `edition` declaration (file:line:column).
 */
export function refuseEditions(file: DescFile): void {
  if (isEditionsFile(file)) {
    throw new CodegenError(
      `${describeSyntaxLocation(file)}: ${editionText(file)} is not supported: ${WHY}; ${FIX} instead`,
    );
  }
  const used = editionsTypeUsedBy(file);
  if (used === undefined) return;
  const { user, type } = used;
  const who =
    user.kind === "rpc" ? `rpc ${user.parent.typeName}.${user.name}` : `message ${user.typeName}`;
  throw new CodegenError(
    `${describeLocation(user)}: ${who} uses ${type.typeName}, declared in ${describeSyntaxLocation(type.file)} with ${editionText(type.file)}, which is not supported: ${WHY}; ${FIX} in ${type.file.proto.name}`,
  );
}

interface EditionsUse {
  /** The message (of a field) or rpc using the type. */
  readonly user: DescMessage | DescMethod;
  readonly type: DescMessage | DescEnum;
}

function editionsTypeUsedBy(file: DescFile): EditionsUse | undefined {
  for (const message of allMessages(file.messages)) {
    for (const field of message.fields) {
      const type = field.message ?? field.enum;
      if (type !== undefined && isEditionsFile(type.file)) return { user: message, type };
    }
  }
  for (const service of file.services) {
    for (const method of service.methods) {
      for (const type of [method.input, method.output]) {
        if (isEditionsFile(type.file)) return { user: method, type };
      }
    }
  }
  return undefined;
}
