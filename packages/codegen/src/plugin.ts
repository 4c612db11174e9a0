import { create, fromBinary, maximumEdition, minimumEdition, protoInt64 } from "@bufbuild/protobuf";
import type { Plugin } from "@bufbuild/protoplugin";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponse_FileSchema,
  CodeGeneratorResponseSchema,
} from "@bufbuild/protobuf/wkt";
import type { CodeGeneratorRequest, CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import { CodegenError } from "./errors.js";
import { generate } from "./generate.js";
import { parseParameters } from "./parameters.js";
import { prepareRequest } from "./request-reader.js";

/** The plugin's name as buf and protoc know it. */
export const PLUGIN_NAME = "protoc-gen-grpc-cfg";
/** Kept equal to package.json's version by a test. */
export const PLUGIN_VERSION = "0.1.0";

/** Options of {@link createPlugin}. */
export interface CreatePluginOptions {
  /** Directory a relative `templates=` resolves against; defaults to the process cwd. */
  readonly cwd?: string;
}

/** The plugin, plus an entry point taking the raw request bytes (what the executable uses). */
export interface GrpcCfgPlugin extends Plugin {
  /**
   * Runs on a serialized CodeGeneratorRequest. Cheaper than `run` on large trees: the
   * request is slimmed before parsing (see request-reader.ts). Throws {@link CodegenError}
   * when the bytes are not a request.
   */
  runBytes(request: Uint8Array): CodeGeneratorResponse;
}

/**
 * The protoc plugin. Input problems (bad options, contradicting policies, template errors)
 * are returned in `CodeGeneratorResponse.error`, which buf prints with a non-zero exit;
 * anything else is a bug and throws.
 */
export function createPlugin(pluginOptions: CreatePluginOptions = {}): GrpcCfgPlugin {
  const respond = (
    request: CodeGeneratorRequest,
    descriptorSet?: { bytes: Uint8Array; fileCount: number },
  ): CodeGeneratorResponse => {
    // Editions are declared supported so that buf hands editions files over and the plugin
    // can refuse them with a position and a reason (editions.ts); buf's own refusal has neither.
    const response = create(CodeGeneratorResponseSchema, {
      supportedFeatures: protoInt64.parse(
        CodeGeneratorResponse_Feature.PROTO3_OPTIONAL |
          CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS,
      ),
      minimumEdition,
      maximumEdition,
    });
    try {
      const parameters = parseParameters(request.parameter);
      const files = generate(request, { parameters, cwd: pluginOptions.cwd, descriptorSet });
      response.file = files.map((f) =>
        create(CodeGeneratorResponse_FileSchema, { name: f.name, content: f.content }),
      );
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      response.error = error.message;
    }
    return response;
  };
  return {
    name: PLUGIN_NAME,
    version: PLUGIN_VERSION,
    run: (request) => respond(request),
    runBytes(bytes) {
      let prepared: ReturnType<typeof prepareRequest>;
      let request: CodeGeneratorRequest;
      try {
        prepared = prepareRequest(bytes);
        request = fromBinary(CodeGeneratorRequestSchema, prepared.request);
      } catch (error) {
        // Not a user-proto problem: there is no response to put it in.
        throw new CodegenError(
          `cannot decode the CodeGeneratorRequest on stdin (${error instanceof Error ? error.message : String(error)}); run the plugin through buf generate or protoc`,
        );
      }
      return respond(request, { bytes: prepared.descriptorSet, fileCount: prepared.fileCount });
    },
  };
}
