import { clone, create, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodegenError } from "./errors.js";
import { generate } from "./generate.js";
import { createPlugin } from "./plugin.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";
import { expectRefusals, type MatrixCase } from "./test-support/refusal-matrix.js";

// ts-proto's output does not compile with these top-level names where its code uses the
// global they shadow (checked by type-checking it): the plugin refuses them up front, naming
// the declaration, instead of leaving tsc errors in generated files — and accepts them where
// the output compiles.
let ws: ProtoWorkspace;
beforeAll(() => {
  ws = ProtoWorkspace.create({
    "p/v1/p.proto": `syntax = "proto3";
package p.v1;
message Ok { string a = 1; }
message Promise { string a = 1; }
service S { rpc Get(Ok) returns (Promise); }
`,
    "m/v1/m.proto": `syntax = "proto3";
package m.v1;

enum Math { MATH_UNSPECIFIED = 0; }
`,
    "n/v1/n.proto": `syntax = "proto3";
package n.v1;
message Outer { message Promise { string a = 1; } Promise p = 1; }
service S { rpc Get(Outer) returns (Outer); }
`,
    "a/v1/a.proto": `syntax = "proto3";
package a.v1;
message Symbol { string a = 1; }
`,
    "b/v1/b.proto": `syntax = "proto3";
package b.v1;
import "a/v1/a.proto";
message Req { a.v1.Symbol s = 1; }
service S { rpc Watch(Req) returns (stream Req); }
`,
  });
});
afterAll(() => ws?.dispose());

describe("top-level type names ts-proto cannot compile with", () => {
  it("refuses a message named Promise, naming file, line and the way out", async () => {
    const request = await ws.request("", ["p/v1/p.proto"]);
    expect(() => generate(request)).toThrow(CodegenError);
    expect(() => generate(request)).toThrow(
      /^p\/v1\/p\.proto:4:1: message "Promise" shadows "Promise", which ts-proto's generated code uses.*rename it \(e\.g\. "PromiseMessage"\)/,
    );
  });

  it("refuses an enum named Math in a file without services, suggesting an enum's name", async () => {
    const request = await ws.request("", ["m/v1/m.proto"]);
    expect(() => generate(request)).toThrow(
      /^m\/v1\/m\.proto:4:1: enum "Math" shadows "Math".*rename it \(e\.g\. "MathEnum"\)$/,
    );
  });

  it("refuses Symbol imported into a file with a server-streaming rpc, naming both files", async () => {
    const request = await ws.request("", ["a/v1/a.proto", "b/v1/b.proto"]);
    expect(() => generate(request)).toThrow(
      /^a\/v1\/a\.proto:3:1: message "Symbol" shadows "Symbol", which ts-proto's generated code for b\/v1\/b\.proto uses for server-streaming and bidi rpcs/,
    );
    const alone = await ws.request("", ["a/v1/a.proto"]);
    expect(() => generate(alone)).not.toThrow();
  });

  it("accepts the name on a nested message (ts-proto prefixes it with its parent)", async () => {
    const request = await ws.request("", ["n/v1/n.proto"]);
    expect(generate(request).map((file) => file.name)).toContain("n/v1/n.grpc-cfg.ts");
  });
});

// The executable reads the request bytes buf sends and slims them before parsing (see
// request-reader.ts): the declaration's position must survive that, for top-level and nested
// types alike, and not fall back to the file name (which the CLI showed as `file:1:1`).
describe("through the plugin's entry for the bytes buf sends", () => {
  const bytesOf = (request: CodeGeneratorRequest): Uint8Array =>
    toBinary(
      CodeGeneratorRequestSchema,
      create(CodeGeneratorRequestSchema, {
        ...request,
        sourceFileDescriptors: request.protoFile.map((f) => clone(FileDescriptorProtoSchema, f)),
      }),
    );

  it("names the line and column of the refused message or enum", async () => {
    const workspace = ProtoWorkspace.create({
      "x/v1/x.proto": `syntax = "proto3";
package x.v1;
// A.
message A { string f = 1; }

// Promise.
message Promise {
  string then = 1;
}
// S.
service S { rpc M(A) returns (A); }
`,
      "e/v1/e.proto": `syntax = "proto3";
package e.v1;

message Outer {
  message Inner { string a = 1; }
  enum Kind { KIND_UNSPECIFIED = 0; }
}

  enum Symbol { SYMBOL_UNSPECIFIED = 0; }
service S { rpc Watch(Outer) returns (stream Outer); }
`,
    });
    try {
      const request = await workspace.request();
      const run = (file: string) =>
        createPlugin().runBytes(bytesOf({ ...request, fileToGenerate: [file] })).error;
      expect(run("x/v1/x.proto")).toMatch(
        /^x\/v1\/x\.proto:7:1: message "Promise" shadows "Promise", which ts-proto's generated code uses for unary and client-streaming rpcs/,
      );
      expect(run("e/v1/e.proto")).toMatch(
        /^e\/v1\/e\.proto:9:3: enum "Symbol" shadows "Symbol".*rename it \(e\.g\. "SymbolEnum"\)$/,
      );
    } finally {
      workspace.dispose();
    }
  });
});

// Symbol and Promise break ts-proto's output only beside some rpc kinds. Each case is a type
// of that name beside one rpc kind, either declared in the service's file and taken and
// returned by the rpc, or imported into it as a field of the rpc's message: the refused ones
// must be refused, and the accepted ones must really compile.
const KINDS = {
  unary: (t: string) => `rpc Call(${t}) returns (${t});`,
  server: (t: string) => `rpc Call(${t}) returns (stream ${t});`,
  client: (t: string) => `rpc Call(stream ${t}) returns (${t});`,
  bidi: (t: string) => `rpc Call(stream ${t}) returns (stream ${t});`,
} as const;
const BREAKS_WITH: Record<string, readonly (keyof typeof KINDS)[]> = {
  Symbol: ["server", "bidi"],
  Promise: ["unary", "client"],
};

function matrix(): { files: Record<string, string>; cases: MatrixCase[] } {
  const files: Record<string, string> = {};
  const cases: MatrixCase[] = [];
  for (const [name, breaking] of Object.entries(BREAKS_WITH)) {
    for (const [kind, rpc] of Object.entries(KINDS)) {
      for (const imported of [false, true]) {
        const pkg = `${name}${kind}${imported ? "imported" : "declared"}`.toLowerCase();
        const head = `syntax = "proto3";\npackage ${pkg}.v1;\n`;
        const type = `message ${name} { string a = 1; }\n`;
        const io = imported ? "Req" : name;
        const service = `message Req { ${name} n = 1; }\nservice S { ${rpc(io)} }\n`;
        if (imported) {
          files[`${pkg}/v1/a.proto`] = head + type;
          files[`${pkg}/v1/b.proto`] = `${head}import "${pkg}/v1/a.proto";\n${service}`;
        } else {
          files[`${pkg}/v1/b.proto`] = head + type + service;
        }
        cases.push({
          label: `${name} ${imported ? "imported" : "declared"} beside ${kind}`,
          pkg,
          files: imported ? [`${pkg}/v1/a.proto`, `${pkg}/v1/b.proto`] : [`${pkg}/v1/b.proto`],
          refused: (breaking as readonly string[]).includes(kind),
        });
      }
    }
  }
  return { files, cases };
}

describe("Symbol and Promise beside each rpc kind", () => {
  it("are refused exactly where ts-proto's output breaks, and compile everywhere else", async () => {
    const { files, cases } = matrix();
    const workspace = ProtoWorkspace.create(files);
    try {
      const outputs = await expectRefusals(
        workspace,
        cases,
        /shadows "(Symbol|Promise)".*would not compile/,
      );
      await workspace.runTsProto();
      workspace.writeOutputs(outputs);
      const compiled = cases.filter((c) => !c.refused).map((c) => `gen/${c.pkg}`);
      expect(compiled).toHaveLength(8);
      expect(await workspace.typeCheck(compiled)).toEqual([]);
    } finally {
      workspace.dispose();
    }
  }, 180_000);
});
