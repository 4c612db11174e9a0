import {
  AuthRequiredService,
  BaseService,
  ReadOnlyService,
  RESERVED_MEMBER_NAMES as RUNTIME_RESERVED,
} from "@grpc-cfg/runtime";
import { describe, expect, it } from "vitest";
import { CodegenError } from "./errors.js";
import { assignHandlerNames, RESERVED_MEMBER_NAMES } from "./handler-names.js";

/** Every member name on a class's prototype chain, up to and including Object.prototype. */
function memberNames(cls: abstract new () => object): string[] {
  const names = new Set<string>();
  for (let p: object | null = cls.prototype as object; p !== null; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return [...names];
}

describe("RESERVED_MEMBER_NAMES", () => {
  it("equals the runtime's own list", () => {
    expect([...RESERVED_MEMBER_NAMES].sort()).toEqual([...RUNTIME_RESERVED].sort());
  });

  it("covers every member the runtime base classes actually have", () => {
    for (const cls of [BaseService, ReadOnlyService, AuthRequiredService]) {
      const missing = memberNames(cls).filter((n) => !RESERVED_MEMBER_NAMES.includes(n));
      expect(missing, `members of ${cls.name} not reserved`).toEqual([]);
    }
  });
});

describe("assignHandlerNames", () => {
  const assign = (rpcs: string[]) => assignHandlerNames(rpcs, "x.proto: service X");

  it("keeps ts-proto's definition key when it is free", () => {
    expect(assign(["GetOrder", "Delete", "class", "URLFetch"])).toEqual([
      { rpc: "GetOrder", definitionKey: "getOrder", handler: "getOrder" },
      { rpc: "Delete", definitionKey: "delete", handler: "delete" },
      { rpc: "class", definitionKey: "class", handler: "class" },
      { rpc: "URLFetch", definitionKey: "uRLFetch", handler: "uRLFetch" },
    ]);
  });

  it("renames reserved keys to handle<Rpc>", () => {
    expect(
      assign(["Constructor", "GetUser", "toString", "__proto__"]).map((h) => h.handler),
    ).toEqual(["handleConstructor", "handleGetUser", "handleToString", "handle__proto__"]);
  });

  it("renames Then, so that service instances are no thenables", () => {
    expect(assign(["Then", "Catch"])).toEqual([
      { rpc: "Then", definitionKey: "then", handler: "handleThen" },
      { rpc: "Catch", definitionKey: "catch", handler: "catch" },
    ]);
  });

  it("never takes a name another rpc owns, whatever the order", () => {
    const a = assign(["GetUser", "HandleGetUser", "HandleGetUser2"]);
    const b = assign(["HandleGetUser2", "HandleGetUser", "GetUser"]);
    expect(a.map((h) => h.handler)).toEqual(["handleGetUser3", "handleGetUser", "handleGetUser2"]);
    expect(b.map((h) => h.handler)).toEqual(["handleGetUser2", "handleGetUser", "handleGetUser3"]);
  });

  it("rejects two rpcs that map to the same key, naming both", () => {
    expect(() => assign(["Ping", "ping"])).toThrow(CodegenError);
    expect(() => assign(["Ping", "ping"])).toThrow(
      'x.proto: service X: rpcs Ping and ping both become "ping" in TypeScript',
    );
  });
});
