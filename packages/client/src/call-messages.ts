import type { DescMethod, JsonValue, Message } from "@bufbuild/protobuf";
import { loadJsonAnyTypes, loadMessageAnyTypes } from "./any-types.js";
import type { PreparedCall } from "./call-kinds.js";
import { DynamicClientError } from "./errors.js";
import { messageFromJson, messageToJson } from "./json-codec.js";
import { missingRequiredField } from "./required-fields.js";

/** The HTTP/2 path of a method, e.g. `/pkg.Service/Method`. */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * Parses a request, naming the method (and the stream position) in errors. Types named by
 * `@type` in the JSON are loaded first: an Any may hold a type the method's files do not
 * import. A missing proto2 required field is refused here, before anything is sent.
 */
export async function parseRequest(
  call: PreparedCall,
  json: JsonValue,
  index?: number,
): Promise<Message> {
  const position = index === undefined ? "" : ` message #${index + 1}`;
  const context = `request${position} for ${methodPath(call.method)} (${call.method.input.typeName})`;
  await loadJsonAnyTypes(json, call.types);
  const message = messageFromJson(call.method.input, json, call.types.registry, context);
  const missing = missingRequiredField(call.method.input, message);
  if (missing !== undefined) {
    throw new DynamicClientError(
      "invalid-input",
      `invalid ${context}: field "${missing}" is required and missing`,
      { fieldPath: missing },
    );
  }
  return message;
}

/** A response as JSON, once the types its Any values name are loaded. */
export async function responseToJson(call: PreparedCall, message: Message): Promise<JsonValue> {
  await loadMessageAnyTypes(call.method.output, message, call.types);
  return messageToJson(call.method.output, message, call.types.registry, call.output);
}
