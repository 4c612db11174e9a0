// Public API of @grpc-cfg/codegen: the protoc-gen-grpc-cfg plugin and the pieces the CLI
// and tests use (paths of the shipped protos/templates, in-process generation).
export { createPlugin, PLUGIN_NAME, PLUGIN_VERSION } from "./plugin.js";
export { generate } from "./generate.js";
export { runPluginProcess } from "./run-node.js";
export { prepareRequest } from "./request-reader.js";
export { CodegenError } from "./errors.js";
export { parseParameters, DEFAULT_PARAMETERS } from "./parameters.js";
export { RESERVED_MEMBER_NAMES, assignHandlerNames } from "./handler-names.js";
export { BUNDLED_TEMPLATES_DIR, TEMPLATE_FILES, loadTemplates } from "./templates.js";
export { OPTIONS_PROTO_ROOT, OPTIONS_PROTO_FILE, PLUGIN_BIN } from "./paths.js";
export { GENERATED_HEADER } from "./service-file-model.js";
export { MANIFEST_FILE, DESCRIPTOR_FILE } from "./manifest-model.js";

export type { CreatePluginOptions, GrpcCfgPlugin } from "./plugin.js";
export type { GenerateOptions, OutputFile } from "./generate.js";
export type { PluginParameters } from "./parameters.js";
export type { HandlerName } from "./handler-names.js";
export type { TemplateRole, TemplateSet, RenderFn } from "./templates.js";
export type {
  ServiceFileModel,
  ServiceModel,
  MethodModel,
  CallKindName,
} from "./service-file-model.js";
export type { ManifestModel, ManifestEntryModel, DescriptorModel } from "./manifest-model.js";
export type { ImportModel } from "./imports.js";
export type { PreparedRequest } from "./request-reader.js";
export type { AuthPolicyName, ServiceBaseKind, EffectivePolicy } from "./policy.js";
