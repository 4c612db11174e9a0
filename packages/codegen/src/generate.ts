/**
 * The generator proper: CodeGeneratorRequest in, files out. No I/O besides reading templates.
 */
import { create, createFileRegistry } from "@bufbuild/protobuf";
import type { DescFile } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { refuseEditions } from "./editions.js";
import { CodegenError } from "./errors.js";
import {
  buildDescriptorModel,
  buildManifestModel,
  DESCRIPTOR_FILE,
  MANIFEST_FILE,
  serializeDescriptorSet,
} from "./manifest-model.js";
import { DEFAULT_PARAMETERS } from "./parameters.js";
import type { PluginParameters } from "./parameters.js";
import { buildServiceFileModel, GENERATED_HEADER } from "./service-file-model.js";
import type { ServiceFileModel } from "./service-file-model.js";
import { loadTemplates } from "./templates.js";
import type { TemplateSet } from "./templates.js";
import { refuseUnusableTypeNames } from "./unusable-type-names.js";

/** One output file, path relative to the plugin's `out` directory. */
export interface OutputFile {
  readonly name: string;
  readonly content: string;
}

/** Inputs besides the request. */
export interface GenerateOptions {
  readonly parameters?: PluginParameters;
  /** Preloaded templates (otherwise loaded from `parameters.templates` / the bundled ones). */
  readonly templates?: TemplateSet;
  /** Directory a relative `templates=` resolves against; defaults to the process cwd. */
  readonly cwd?: string;
  /**
   * The FileDescriptorSet of the request's files, already serialized (the plugin process
   * cuts it from the request bytes); serialized from `request.protoFile` when absent.
   */
  readonly descriptorSet?: { readonly bytes: Uint8Array; readonly fileCount: number };
}

/**
 * Generates `<file>.grpc-cfg.ts` for each file to generate that declares services, plus the
 * manifest and descriptor set of the run (unless `manifest=false`). Throws
 * {@link CodegenError} for problems in the input.
 */
export function generate(
  request: CodeGeneratorRequest,
  options: GenerateOptions = {},
): OutputFile[] {
  const parameters = options.parameters ?? DEFAULT_PARAMETERS;
  const templates = options.templates ?? loadTemplates(parameters.templates, options.cwd);
  const registry = buildRegistry(request);

  const models: { file: DescFile; model: ServiceFileModel }[] = [];
  const out: OutputFile[] = [];
  for (const name of request.fileToGenerate) {
    const file = registry.getFile(name);
    if (file === undefined)
      throw new CodegenError(`${name}: file to generate is missing from the request`);
    refuseEditions(file);
    refuseUnusableTypeNames(file);
    if (file.services.length === 0) continue;
    const model = buildServiceFileModel(file, parameters);
    models.push({ file, model });
    out.push({ name: model.outputFile, content: withHeader(templates.serviceFile(model)) });
  }
  if (parameters.manifest) {
    out.push({
      name: MANIFEST_FILE,
      content: withHeader(templates.manifest(buildManifestModel(models, parameters))),
    });
    const set = options.descriptorSet ?? {
      bytes: serializeDescriptorSet(request.protoFile),
      fileCount: request.protoFile.length,
    };
    out.push({
      name: DESCRIPTOR_FILE,
      content: withHeader(templates.descriptor(buildDescriptorModel(set.bytes, set.fileCount))),
    });
  }
  return out;
}

function buildRegistry(request: CodeGeneratorRequest) {
  try {
    return createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
  } catch (error) {
    // Unsupported editions and broken descriptor sets end up here.
    throw new CodegenError(error instanceof Error ? error.message : String(error));
  }
}

// The header marks the file as generated for tools (`generate --check`, linters, scaffolds
// that must never be overwritten), so it is guaranteed even with user templates.
function withHeader(content: string): string {
  return content.startsWith(GENERATED_HEADER) ? content : `${GENERATED_HEADER}\n${content}`;
}
