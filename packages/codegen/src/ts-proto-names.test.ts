import { describe, expect, it } from "vitest";
import { tsProtoDefinitionKey, tsProtoModulePath } from "./ts-proto-names.js";

// tsProtoTypeName is checked against real ts-proto output by generate.test.ts and the golden
// test (the generated code type-checks only if every imported name exists).
describe("ts-proto names", () => {
  it("definition keys lower the first letter only, like ts-proto's uncapitalize", () => {
    expect(tsProtoDefinitionKey("GetUser")).toBe("getUser");
    expect(tsProtoDefinitionKey("URLFetch")).toBe("uRLFetch");
    expect(tsProtoDefinitionKey("get_user")).toBe("get_user");
    expect(tsProtoDefinitionKey("X")).toBe("x");
  });

  it("module paths drop the first .proto only", () => {
    expect(tsProtoModulePath("a/v1/svc.proto")).toBe("a/v1/svc");
    expect(tsProtoModulePath("plain.proto")).toBe("plain");
  });
});
