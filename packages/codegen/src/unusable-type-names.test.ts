import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodegenError } from "./errors.js";
import { generate } from "./generate.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";

// ts-proto's output does not compile with these top-level names where its code uses the
// global they shadow (checked by type-checking it): the plugin refuses them up front, naming
// the declaration, instead of leaving tsc errors in generated files — and accepts them where
// the output compiles.
let ws: ProtoWorkspace;
let accepted: ProtoWorkspace;
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
  accepted = ProtoWorkspace.create({
    // As in Google Cloud Vision's text_annotation.proto.
    "v/v1/v.proto": `syntax = "proto3";
package v.v1;
message Symbol { string text = 1; }
message Word { repeated Symbol symbols = 1; }
service Reader { rpc Read(Word) returns (Word); }
`,
    "s/v1/s.proto": `syntax = "proto3";
package s.v1;
message Promise { string a = 1; }
service Feed { rpc Watch(Promise) returns (stream Promise); }
`,
  });
});
afterAll(() => {
  ws?.dispose();
  accepted?.dispose();
});

describe("top-level type names ts-proto cannot compile with", () => {
  it("refuses a message named Promise, naming file, line and the way out", async () => {
    const request = await ws.request("", ["p/v1/p.proto"]);
    expect(() => generate(request)).toThrow(CodegenError);
    expect(() => generate(request)).toThrow(
      /^p\/v1\/p\.proto:4:1: message "Promise" shadows "Promise", which ts-proto's generated code uses.*rename it \(e\.g\. "PromiseMessage"\)/,
    );
  });

  it("refuses an enum named Math in a file without services", async () => {
    const request = await ws.request("", ["m/v1/m.proto"]);
    expect(() => generate(request)).toThrow(/^m\/v1\/m\.proto:4:1: enum "Math" shadows "Math"/);
  });

  it("refuses Symbol imported into a file with a server-streaming rpc, naming both files", async () => {
    const request = await ws.request("", ["a/v1/a.proto", "b/v1/b.proto"]);
    expect(() => generate(request)).toThrow(
      /^a\/v1\/a\.proto:3:1: message "Symbol" shadows "Symbol", which ts-proto's generated code for b\/v1\/b\.proto uses for server-streaming and bidi rpcs/,
    );
    const alone = await ws.request("", ["a/v1/a.proto"]);
    expect(() => generate(alone)).not.toThrow();
  });

  it("accepts Symbol beside unary rpcs and Promise beside streaming ones, and the output compiles", async () => {
    const request = await accepted.request();
    const files = generate(request);
    expect(files.map((file) => file.name)).toEqual(
      expect.arrayContaining(["v/v1/v.grpc-cfg.ts", "s/v1/s.grpc-cfg.ts"]),
    );
    await accepted.runTsProto();
    accepted.writeOutputs(files);
    expect(await accepted.typeCheck()).toEqual([]);
  }, 120_000);

  it("accepts the name on a nested message (ts-proto prefixes it with its parent)", async () => {
    const request = await ws.request("", ["n/v1/n.proto"]);
    expect(generate(request).map((file) => file.name)).toContain("n/v1/n.grpc-cfg.ts");
  });
});
