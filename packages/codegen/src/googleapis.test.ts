// Real-world protos: the plugin must accept every file of googleapis and grafeas (the
// google-proto-files package, 8,000 files), as ts-proto does. A rule that refuses a valid
// name (as the `Symbol` rule once refused Google Cloud Vision) then fails in CI, not only in
// `npm run bench:codegen`.
import { execFile } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { create, fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "./generate.js";
import { DEFAULT_PARAMETERS } from "./parameters.js";
import {
  BUF,
  REPO_ROOT,
  STRICT_COMPILER_OPTIONS,
  TS_PROTO,
  TS_PROTO_OPTIONS,
} from "./test-support/proto-workspace.js";

const CORPUS = join(REPO_ROOT, "node_modules/google-proto-files");
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "grpc-cfg-googleapis-"));
let files: string[] = [];
beforeAll(() => {
  files = copyCorpus();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Copies every .proto of the corpus into `dir/proto` (buf supplies google/protobuf itself). */
function copyCorpus(): string[] {
  const files: string[] = [];
  for (const top of ["google", "grafeas"]) {
    for (const rel of readdirSync(join(CORPUS, top), { recursive: true }).map(String)) {
      if (!rel.endsWith(".proto") || (top === "google" && rel.startsWith("protobuf/"))) continue;
      const name = `${top}/${rel}`;
      mkdirSync(dirname(join(dir, "proto", name)), { recursive: true });
      cpSync(join(CORPUS, name), join(dir, "proto", name));
      files.push(name);
    }
  }
  writeFileSync(join(dir, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n");
  return files;
}

describe("googleapis", () => {
  it("every file generates, one service file per file with services", async () => {
    expect(files.length).toBeGreaterThan(5_000);
    const image = join(dir, "image.binpb");
    await run(BUF, ["build", "--exclude-source-info", "--as-file-descriptor-set", "-o", image], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
    const request = create(CodeGeneratorRequestSchema, {
      fileToGenerate: files,
      protoFile: set.file,
    });
    const withServices = set.file.filter(
      (file) => files.includes(file.name) && file.service.length > 0,
    );
    // The manifest and descriptor set of 8,000 files are the benchmark's business, not this test's.
    const outputs = generate(request, { parameters: { ...DEFAULT_PARAMETERS, manifest: false } });
    expect(outputs).toHaveLength(withServices.length);
    expect(withServices.length).toBeGreaterThan(1_500);
  }, 240_000);

  // Every call kind, from real APIs: Pub/Sub's bidi StreamingPull, Bigtable's server-streaming
  // ReadRows, Cloud Storage's client-streaming WriteObject, Firestore's bidi Listen, and
  // Vision with its `message Symbol`.
  it("real APIs of every call kind type-check with ts-proto's output, as `grpc-cfg generate` writes them", async () => {
    const packages = [
      "google/pubsub/v1",
      "google/bigtable/v2",
      "google/storage/v2",
      "google/firestore/v1",
      "google/cloud/vision/v1",
    ];
    const plugin = join(REPO_ROOT, "node_modules/.bin/protoc-gen-grpc-cfg");
    const opts = TS_PROTO_OPTIONS.map((o) => `      - ${o}\n`).join("");
    writeFileSync(
      join(dir, "buf.gen.yaml"),
      `version: v2\nplugins:\n  - local: ${TS_PROTO}\n    out: gen\n    strategy: all\n    include_imports: true\n    opt:\n${opts}  - local: ${plugin}\n    out: gen\n    strategy: all\n`,
    );
    const paths = packages.flatMap((pkg) => ["--path", join("proto", pkg)]);
    await run(BUF, ["generate", ...paths], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const serviceFiles = readdirSync(join(dir, "gen"), { recursive: true })
      .map(String)
      .filter((name) => name.endsWith(".grpc-cfg.ts"));
    expect(serviceFiles.length).toBeGreaterThanOrEqual(packages.length);
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "package.json"), `{ "type": "module" }\n`);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: STRICT_COMPILER_OPTIONS, include: ["gen"] }),
    );
    const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
    const diagnostics = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir })
      .then(() => "")
      .catch((error: { stdout?: string }) => error.stdout ?? String(error));
    expect(diagnostics).toBe("");
  }, 240_000);
});
