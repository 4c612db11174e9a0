import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlugin } from "./plugin.js";
import { bufRequestBytes, ProtoWorkspace } from "./test-support/proto-workspace.js";

// ts-proto ignores editions features: for the file below it writes `sub` length-prefixed
// (a DELIMITED field is a group on the wire) and drops `count: 0` (explicit presence), so the
// plugin refuses editions files instead of letting `generate` succeed with the wrong format.
let ws: ProtoWorkspace;
let request: CodeGeneratorRequest;
beforeAll(async () => {
  ws = ProtoWorkspace.create({
    "ed/v1/ed.proto": `// A licence header.

edition = "2023";
package ed.v1;
message Thing {
  string name = 1;
  int32 count = 2 [features.field_presence = EXPLICIT];
  Sub sub = 4 [features.message_encoding = DELIMITED];
}
message Sub { string v = 1; }
service EdService { rpc GetThing(Thing) returns (Thing); }
`,
    "uses/v1/uses.proto": `syntax = "proto3";
package uses.v1;
import "ed/v1/ed.proto";
message Req { string id = 1; }
service UsesService {
  rpc Get(Req) returns (Req);
  rpc GetThing(Req) returns (ed.v1.Thing);
}
`,
    "field/v1/field.proto": `syntax = "proto3";
package field.v1;
import "ed/v1/ed.proto";
message Holder { message Inner { map<string, ed.v1.Sub> subs = 1; } Inner inner = 1; }
`,
    "p2/v1/p2.proto": `syntax = "proto2";
package p2.v1;
message Item { required int64 id = 1; optional string name = 2 [default = "unnamed"]; }
service ItemService { rpc Get(Item) returns (Item); }
`,
  });
  request = await ws.request();
});
afterAll(() => ws?.dispose());

const errorFor = (files: string[]): string => {
  const r = { ...request, fileToGenerate: files };
  const error = createPlugin().run(r).error ?? "";
  // The executable slims the request first; it must keep the edition's position.
  expect(createPlugin().runBytes(bufRequestBytes(r)).error ?? "").toBe(error);
  return error;
};

describe("editions files", () => {
  it("are refused at the edition declaration, saying why and what to write instead", () => {
    expect(errorFor(["ed/v1/ed.proto"])).toBe(
      'ed/v1/ed.proto:3:1: edition = "2023" is not supported: ts-proto, which generates the messages, does not implement editions features (field presence, delimited messages, packed or expanded repeated fields, closed enums…), so the generated code would read and write the wrong wire format; use syntax = "proto3" (or "proto2") instead',
    );
  });

  it("are refused when a proto3 file's rpc or field uses a type declared in one", () => {
    expect(errorFor(["uses/v1/uses.proto"])).toMatch(
      /^uses\/v1\/uses\.proto:7:3: rpc uses\.v1\.UsesService\.GetThing uses ed\.v1\.Thing, declared in ed\/v1\/ed\.proto:3:1 with edition = "2023", which is not supported: ts-proto.*; use syntax = "proto3" \(or "proto2"\) in ed\/v1\/ed\.proto$/,
    );
    expect(errorFor(["field/v1/field.proto"])).toMatch(
      /^field\/v1\/field\.proto:4:18: message field\.v1\.Holder\.Inner uses ed\.v1\.Sub, declared in ed\/v1\/ed\.proto:3:1/,
    );
  });

  it("leave proto2 files alone", () => {
    const response = createPlugin().run({ ...request, fileToGenerate: ["p2/v1/p2.proto"] });
    expect(response.error ?? "").toBe("");
    expect(response.file.map((f) => f.name)).toContain("p2/v1/p2.grpc-cfg.ts");
  });
});
