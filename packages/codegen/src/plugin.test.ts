import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { isFieldSet } from "@bufbuild/protobuf";
import {
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponseSchema,
  Edition,
} from "@bufbuild/protobuf/wkt";
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPTIONS_PROTO_FILE } from "./paths.js";
import { createPlugin, PLUGIN_VERSION } from "./plugin.js";
import { BUF, ProtoWorkspace, REPO_ROOT } from "./test-support/proto-workspace.js";

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
      /^a\/v1\/a\.proto:7:3: rpc a\.v1\.S\.Get: auth public in an AUTH_REQUIRED service/,
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
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string };
    expect(PLUGIN_VERSION).toBe(pkg.version);
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
      await run(
        BUF,
        ["generate", "--template", "buf.gen.options.yaml", "-o", out],
        { cwd: PACKAGE_DIR },
      );
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
