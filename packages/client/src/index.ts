export { createDynamicClient } from "./dynamic-client.js";
export { DynamicClientError, GrpcCallError, grpcCodeName } from "./errors.js";
export { parseMethodName, closeMatches } from "./symbol-names.js";
export { parseDuration } from "./duration.js";

export type {
  DynamicClient,
  DynamicClientOptions,
  InvokeOptions,
  ServiceListing,
} from "./dynamic-client.js";
export type { TlsOptions } from "./connection.js";
export type {
  CallKind,
  EnumDescription,
  FieldDescription,
  MessageDescription,
  MethodDescription,
  ServiceDescription,
  SymbolDescription,
} from "./describe.js";
export type { DynamicClientErrorReason } from "./errors.js";
export type { InvokeInput, InvokeResult, SingleResponseResult, StreamingResult } from "./invoke.js";
export type { JsonStream } from "./call-kinds.js";
export type { MetadataInit, MetadataRecord } from "./metadata.js";
export type { MethodName } from "./symbol-names.js";
export type { ReflectionVersion } from "./reflection-client.js";
export type { JsonValue } from "@bufbuild/protobuf";
