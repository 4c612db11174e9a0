/**
 * Test harness: a throwaway buf workspace on disk, compiled by the real `buf`, with the real
 * ts-proto and `tsc` for type-checks. Used by the codegen tests only (not built, not shipped).
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { clone, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";

const run = promisify(execFile);

/** The repository root (…/packages/codegen/src/test-support → …). */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const BUF = join(REPO_ROOT, "node_modules/.bin/buf");
export const TS_PROTO = join(REPO_ROOT, "node_modules/.bin/protoc-gen-ts_proto");
const TSC = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
const PACKAGE_PROTO = fileURLToPath(new URL("../../proto/", import.meta.url));

/**
 * `request` as buf sends it to the executable: source info for the files to generate, and
 * their copies in `source_file_descriptors` (which the plugin's request reader slims away).
 */
export function bufRequestBytes(request: CodeGeneratorRequest): Uint8Array {
  return toBinary(
    CodeGeneratorRequestSchema,
    create(CodeGeneratorRequestSchema, {
      ...request,
      sourceFileDescriptors: request.protoFile.map((f) => clone(FileDescriptorProtoSchema, f)),
    }),
  );
}

/** The ts-proto options of the grpc-cfg pipeline (buf.gen.yaml). */
export const TS_PROTO_OPTIONS = [
  "outputServices=nice-grpc",
  "outputServices=generic-definitions",
  "useExactTypes=false",
  "esModuleInterop=true",
  "importSuffix=.js",
  "forceLong=bigint",
];

/** Compiler options the generated code must pass (the repo's strict settings). */
export const STRICT_COMPILER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2023"],
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  noImplicitOverride: true,
  skipLibCheck: true,
  noEmit: true,
};

/** A temp directory holding `proto/` (the test's files), `vendor/` (options.proto) and `gen/`. */
export class ProtoWorkspace {
  private constructor(
    readonly dir: string,
    readonly files: readonly string[],
  ) {}

  /** Writes `files` (path → proto text) into a fresh workspace. */
  static create(files: Record<string, string>): ProtoWorkspace {
    const dir = mkdtempSync(join(tmpdir(), "grpc-cfg-codegen-"));
    for (const [path, text] of Object.entries(files)) writeText(join(dir, "proto", path), text);
    cpSync(PACKAGE_PROTO, join(dir, "vendor"), { recursive: true });
    writeText(join(dir, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n  - path: vendor\n");
    writeText(join(dir, "package.json"), `{ "type": "module" }\n`);
    // Lets generated code resolve @grpc-cfg/runtime, nice-grpc-common, @bufbuild/protobuf.
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    return new ProtoWorkspace(dir, Object.keys(files).sort());
  }

  /** Directory of generated code. */
  get genDir(): string {
    return join(this.dir, "gen");
  }

  /**
   * Runs `buf build` and returns the CodeGeneratorRequest buf would send for this module's
   * files (imports included in `protoFile`, as buf does).
   */
  async request(
    parameter = "",
    fileToGenerate: readonly string[] = this.files,
  ): Promise<CodeGeneratorRequest> {
    const image = join(this.dir, "image.binpb");
    await run(BUF, ["build", "--as-file-descriptor-set", "-o", image], { cwd: this.dir });
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
    return create(CodeGeneratorRequestSchema, {
      fileToGenerate: [...fileToGenerate],
      parameter,
      protoFile: set.file,
    });
  }

  /**
   * Runs the real ts-proto over the module through `buf generate` into `gen/`, as one
   * process (`strategy: all`: the same output as one per directory, faster on many packages).
   */
  async runTsProto(): Promise<void> {
    const template = join(this.dir, "buf.gen.ts-proto.yaml");
    const opts = TS_PROTO_OPTIONS.map((o) => `      - ${o}\n`).join("");
    writeText(
      template,
      `version: v2\nplugins:\n  - local: ${TS_PROTO}\n    out: gen\n    strategy: all\n    opt:\n${opts}`,
    );
    await run(BUF, ["generate", "--template", template], { cwd: this.dir });
  }

  /** Writes plugin output files into `gen/`. */
  writeOutputs(files: readonly { readonly name: string; readonly content: string }[]): void {
    for (const f of files) writeText(join(this.genDir, f.name), f.content);
  }

  /** Writes a file relative to the workspace root. */
  write(path: string, text: string): void {
    writeText(join(this.dir, path), text);
  }

  /** Reads a file relative to the workspace root. */
  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  /**
   * Type-checks `include` (globs relative to the workspace) with the strict options.
   * Returns tsc's diagnostics, one per line (empty when clean).
   */
  async typeCheck(include: readonly string[] = ["gen"], name = "tsconfig.json"): Promise<string[]> {
    writeText(
      join(this.dir, name),
      JSON.stringify({ compilerOptions: STRICT_COMPILER_OPTIONS, include }, null, 2),
    );
    try {
      await run(process.execPath, [TSC, "-p", name], { cwd: this.dir });
      return [];
    } catch (error) {
      const out = (error as { stdout?: string }).stdout ?? String(error);
      return out.split("\n").filter((l) => /error TS\d+/.test(l));
    }
  }

  /** Deletes the workspace. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
