import { describe, expect, it } from "vitest";
import { countServices, stripCommentsAndStrings } from "./proto-census.js";

describe("countServices", () => {
  it("counts services and rpcs across files", () => {
    const a =
      "service A {\n  rpc One(R) returns (R);\n  rpc Two(stream R) returns (stream R) {}\n}\n";
    const b = "service B{rpc Three(R)returns(R);}\nmessage R {}\n";
    expect(countServices([a, b])).toEqual({ services: 2, methods: 3 });
  });

  it("ignores the words in comments and string literals", () => {
    const source = [
      "// service Fake { rpc Nope(R) returns (R); }",
      "/* service AlsoFake {",
      "   rpc Nope(R) returns (R); } */",
      'option (x) = "service Quoted { rpc Q(R) returns (R); }";',
      "service Real {",
      "  rpc Yes(R) returns (R); // rpc Trailing(R)",
      "}",
    ].join("\n");
    expect(countServices([source])).toEqual({ services: 1, methods: 1 });
  });

  it("does not count identifiers that merely contain the keywords", () => {
    const source = "message my_service { string rpc = 1; }\nmessage service_rpc_x {}\n";
    expect(countServices([source])).toEqual({ services: 0, methods: 0 });
  });
});

describe("stripCommentsAndStrings", () => {
  it("keeps line structure so positions stay meaningful", () => {
    const source = 'a /* x\ny */ b "c\\"d" // e\nf';
    const stripped = stripCommentsAndStrings(source);
    expect(stripped.split("\n")).toHaveLength(3);
    expect(stripped.replace(/\s+/g, " ").trim()).toBe("a b f");
  });
});
