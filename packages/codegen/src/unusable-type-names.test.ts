import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodegenError } from "./errors.js";
import { generate } from "./generate.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";

// ts-proto's output does not compile with these top-level names (checked by type-checking it):
// the plugin refuses them up front, naming the declaration, instead of leaving tsc errors in
// generated files.
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

  it("refuses an enum named Math in a file without services", async () => {
    const request = await ws.request("", ["m/v1/m.proto"]);
    expect(() => generate(request)).toThrow(/^m\/v1\/m\.proto:4:1: enum "Math" shadows "Math"/);
  });

  it("accepts the name on a nested message (ts-proto prefixes it with its parent)", async () => {
    const request = await ws.request("", ["n/v1/n.proto"]);
    expect(generate(request).map((file) => file.name)).toContain("n/v1/n.grpc-cfg.ts");
  });
});
