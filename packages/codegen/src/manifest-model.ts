/**
 * Data of the whole-run outputs: `grpc-cfg.manifest.ts` (every service of the run) and
 * `grpc-cfg.descriptor.ts` (the FileDescriptorSet for server reflection). Both are built in
 * one pass over the request, O(files + services).
 */
import { create, toBinary } from "@bufbuild/protobuf";
import type { DescFile } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { ImportSet, relativeModule } from "./imports.js";
import type { ImportModel } from "./imports.js";
import { GENERATED_HEADER, serviceFileName } from "./service-file-model.js";
import type { ServiceFileModel } from "./service-file-model.js";

/** Output path of the manifest, at the output root. */
export const MANIFEST_FILE = "grpc-cfg.manifest.ts";
/** Output path of the descriptor set module, at the output root. */
export const DESCRIPTOR_FILE = "grpc-cfg.descriptor.ts";

/** One service entry of the manifest. */
export interface ManifestEntryModel {
  readonly fullName: string;
  readonly protoFile: string;
  readonly className: string;
  readonly baseKind: string;
  /** Local name of the imported class. */
  readonly local: string;
}

/** Everything `manifest.ts.hbs` renders. */
export interface ManifestModel {
  readonly header: string;
  readonly runtimeImport: string;
  readonly imports: readonly ImportModel[];
  /** Import specifier of the descriptor module, e.g. `./grpc-cfg.descriptor.js`. */
  readonly descriptorModule: string;
  readonly serviceManifestEntry: string;
  readonly services: readonly ManifestEntryModel[];
}

/** Everything `descriptor.ts.hbs` renders. */
export interface DescriptorModel {
  readonly header: string;
  /** Number of files in the set. */
  readonly fileCount: number;
  /** Byte length of the serialized set. */
  readonly byteLength: number;
  /** The base64 text in lines of at most 100 characters (keeps diffs and editors sane). */
  readonly base64Lines: readonly string[];
}

/** Builds the manifest model from the per-file models of this run, in request order. */
export function buildManifestModel(
  files: readonly { readonly file: DescFile; readonly model: ServiceFileModel }[],
  options: { readonly runtimeImport: string; readonly importSuffix: string },
): ManifestModel {
  const names = new ImportSet();
  const serviceManifestEntry = names.type(options.runtimeImport, "ServiceManifestEntry");
  const services: ManifestEntryModel[] = [];
  for (const { file, model } of files) {
    const module = relativeModule(
      MANIFEST_FILE,
      serviceFileName(file).replace(/\.ts$/, ""),
      options.importSuffix,
    );
    for (const service of model.services) {
      services.push({
        fullName: service.fullName,
        protoFile: model.protoFile,
        className: service.className,
        baseKind: service.baseKind,
        local: names.value(module, service.className),
      });
    }
  }
  return {
    header: GENERATED_HEADER,
    runtimeImport: options.runtimeImport,
    imports: names.imports(),
    descriptorModule: relativeModule(
      MANIFEST_FILE,
      DESCRIPTOR_FILE.replace(/\.ts$/, ""),
      options.importSuffix,
    ),
    serviceManifestEntry,
    services,
  };
}

/**
 * Serializes every file of the request as a FileDescriptorSet, without source code info
 * (comments and spans are not needed for reflection and would double its size).
 */
export function serializeDescriptorSet(protoFiles: readonly FileDescriptorProto[]): Uint8Array {
  const set = create(FileDescriptorSetSchema, {
    file: protoFiles.map((f) => ({ ...f, sourceCodeInfo: undefined })),
  });
  return toBinary(FileDescriptorSetSchema, set);
}

/** The descriptor module's model from a serialized FileDescriptorSet of `fileCount` files. */
export function buildDescriptorModel(bytes: Uint8Array, fileCount: number): DescriptorModel {
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const base64Lines: string[] = [];
  for (let i = 0; i < base64.length; i += 100) base64Lines.push(base64.slice(i, i + 100));
  return { header: GENERATED_HEADER, fileCount, byteLength: bytes.length, base64Lines };
}
