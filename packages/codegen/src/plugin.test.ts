import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import {
  clone,
  create,
  createFileRegistry,
  equals,
  fromBinary,
  isFieldSet,
} from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponseSchema,
  Edition,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  SourceCodeInfo_LocationSchema,
} from "@bufbuild/protobuf/wkt";
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeDescriptorSet } from "./manifest-model.js";
import { OPTIONS_PROTO_FILE } from "./paths.js";
import { createPlugin, PLUGIN_VERSION } from "./plugin.js";
import { prepareRequest } from "./request-reader.js";
import { describeLocation } from "./source-location.js";
import { BUF, bufRequestBytes, ProtoWorkspace, REPO_ROOT } from "./test-support/proto-workspace.js";

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

let ws: ProtoWorkspace;
let request: CodeGeneratorRequest;
beforeAll(async () => {
  ws = ProtoWorkspace.create({
    "a/v1/a.proto": `syntax = "proto3";
package a.v1;
import "grpc_cfg/v1/options.proto";
message M {}
// The outer one (the generator never reads a message's comment).
message Outer {
  string a = 1;
  message Inner { enum Deep { DEEP_UNSPECIFIED = 0; } }
  enum Kind { KIND_UNSPECIFIED = 0; }
}
service S {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc Get(M) returns (M) { option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_PUBLIC }; }
}
service T { rpc Get(M) returns (M); }
`,
    "b/v1/b.proto": `syntax = "proto3";\npackage b.v1;\nmessage M {}\nservice U { rpc Get(M) returns (M); }\n`,
  });
  request = await ws.request();
});
afterAll(() => ws?.dispose());

const runWith = (parameter: string, fileToGenerate: string[]) =>
  createPlugin().run({ ...request, parameter, fileToGenerate });

describe("protoc-gen-grpc-cfg", () => {
  it("answers with files and declares proto3 optional and editions support", () => {
    const response = runWith("", ["b/v1/b.proto"]);
    expect(isFieldSet(response, CodeGeneratorResponseSchema.field.error)).toBe(false);
    expect(response.file.map((f) => f.name)).toEqual([
      "b/v1/b.grpc-cfg.ts",
      "grpc-cfg.manifest.ts",
      "grpc-cfg.descriptor.ts",
    ]);
    const features = Number(response.supportedFeatures);
    expect(features & CodeGeneratorResponse_Feature.PROTO3_OPTIONAL).toBeTruthy();
    expect(features & CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS).toBeTruthy();
    expect(response.minimumEdition).toBe(Edition.EDITION_PROTO2);
    expect(response.maximumEdition).toBeGreaterThanOrEqual(Edition.EDITION_2023);
  });

  it("reports contradicting options in the response's error field, naming file and rpc", () => {
    const response = runWith("", ["a/v1/a.proto"]);
    expect(response.file).toEqual([]);
    expect(response.error).toMatch(
      /^a\/v1\/a\.proto:13:3: rpc a\.v1\.S\.Get: auth public in an AUTH_REQUIRED service/,
    );
  });

  it("reports bad plugin options in the error field", () => {
    expect(runWith("manifset=false", ["b/v1/b.proto"]).error).toBe(
      'unknown plugin option "manifset"; known options: templates, runtime_import, import_suffix, manifest (set them under opt: in buf.gen.yaml)',
    );
    expect(runWith("manifest=yes", ["b/v1/b.proto"]).error).toBe(
      'plugin option "manifest" must be true or false, got "yes"',
    );
  });

  it("has the package.json version", () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as {
      version: string;
    };
    expect(PLUGIN_VERSION).toBe(pkg.version);
  });
});

describe("runBytes (the executable's path)", () => {
  it("slims the request to what the generator reads, losing nothing else", () => {
    const full = { ...request, fileToGenerate: ["a/v1/a.proto", "b/v1/b.proto"] };
    const prepared = prepareRequest(bufRequestBytes(full));
    const slim = fromBinary(CodeGeneratorRequestSchema, prepared.request);
    expect(slim.sourceFileDescriptors).toEqual([]);
    expect(slim.fileToGenerate).toEqual(full.fileToGenerate);
    expect(slim.protoFile).toHaveLength(full.protoFile.length);
    slim.protoFile.forEach((file, i) => {
      const original = clone(FileDescriptorProtoSchema, full.protoFile[i]!);
      // Services and all their parts; the positions of message and enum declarations (nested
      // too) and of the syntax or edition declaration, without their comments; nothing of
      // fields.
      const kept = original.sourceCodeInfo?.location
        .filter(
          (l) =>
            l.path[0] === 6 || /^(4,\d+(,3,\d+)*(,4,\d+)?|5,\d+|12|14)$/.test(l.path.join(",")),
        )
        .map((l) =>
          l.path[0] === 6
            ? l
            : create(SourceCodeInfo_LocationSchema, { path: l.path, span: l.span }),
        );
      expect(file.sourceCodeInfo?.location).toEqual(kept);
      if (original.sourceCodeInfo !== undefined) original.sourceCodeInfo.location = kept ?? [];
      expect(equals(FileDescriptorProtoSchema, file, original), file.name).toBe(true);
    });
    expect(slim.protoFile.some((f) => (f.sourceCodeInfo?.location.length ?? 0) > 0)).toBe(true);
  });

  it("keeps the positions of message and enum declarations, nested ones included", () => {
    const prepared = prepareRequest(bufRequestBytes(request));
    const slim = fromBinary(CodeGeneratorRequestSchema, prepared.request);
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: slim.protoFile }));
    const where = (typeName: string): string => {
      const desc = registry.getMessage(typeName) ?? registry.getEnum(typeName);
      if (desc === undefined) throw new Error(`no ${typeName}`);
      return describeLocation(desc);
    };
    expect(where("a.v1.Outer")).toBe("a/v1/a.proto:6:1");
    expect(where("a.v1.Outer.Inner")).toBe("a/v1/a.proto:8:3");
    expect(where("a.v1.Outer.Inner.Deep")).toBe("a/v1/a.proto:8:19");
    expect(where("a.v1.Outer.Kind")).toBe("a/v1/a.proto:9:3");
    expect(where("b.v1.M")).toBe("b/v1/b.proto:3:1");
  });

  it("cuts the same FileDescriptorSet from the bytes as serializing the parsed files", () => {
    const prepared = prepareRequest(bufRequestBytes(request));
    expect(prepared.fileCount).toBe(request.protoFile.length);
    expect(
      Buffer.from(prepared.descriptorSet).equals(
        Buffer.from(serializeDescriptorSet(request.protoFile)),
      ),
    ).toBe(true);
  });

  it("rejects bytes that are not a request with a clear error", () => {
    expect(() => createPlugin().runBytes(new Uint8Array([0xff, 0xff]))).toThrow(
      "cannot decode the CodeGeneratorRequest on stdin (premature EOF)",
    );
  });

  it("answers exactly like run()", () => {
    const full = { ...request, fileToGenerate: ["b/v1/b.proto"] };
    const viaBytes = createPlugin().runBytes(bufRequestBytes(full));
    const viaMessage = createPlugin().run(full);
    expect(viaBytes.file.map((f) => [f.name, f.content])).toEqual(
      viaMessage.file.map((f) => [f.name, f.content]),
    );
    expect(
      createPlugin().runBytes(bufRequestBytes({ ...request, fileToGenerate: ["a/v1/a.proto"] }))
        .error,
    ).toBe(createPlugin().run({ ...request, fileToGenerate: ["a/v1/a.proto"] }).error);
  });
});

describe("options.proto", () => {
  it("ships in the package with the same content as the repository's proto/", () => {
    expect(readFileSync(OPTIONS_PROTO_FILE, "utf8")).toBe(
      readFileSync(join(REPO_ROOT, "proto/grpc_cfg/v1/options.proto"), "utf8"),
    );
  });

  it("matches the committed options_pb.ts (regenerated with protoc-gen-es)", async () => {
    const out = mkdtempSync(join(tmpdir(), "grpc-cfg-options-"));
    try {
      await run(BUF, ["generate", "--template", "buf.gen.options.yaml", "-o", out], {
        cwd: PACKAGE_DIR,
      });
      expect(readFileSync(join(out, "src/gen/grpc_cfg/v1/options_pb.ts"), "utf8")).toBe(
        readFileSync(join(PACKAGE_DIR, "src/gen/grpc_cfg/v1/options_pb.ts"), "utf8"),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("passes buf lint (STANDARD)", async () => {
    await expect(
      run(BUF, ["lint", "--config", '{"version":"v2","lint":{"use":["STANDARD"]}}'], {
        cwd: join(PACKAGE_DIR, "proto"),
      }),
    ).resolves.toBeDefined();
  });
});
