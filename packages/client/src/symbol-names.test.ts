import { describe, expect, it } from "vitest";
import { DynamicClientError } from "./errors.js";
import { closeMatches, editDistance, parseMethodName } from "./symbol-names.js";
import { parseDuration } from "./duration.js";

describe("parseMethodName", () => {
  it.each([
    ["shop.v1.UserService/GetUser", "shop.v1.UserService", "GetUser"],
    ["/shop.v1.UserService/GetUser", "shop.v1.UserService", "GetUser"],
    ["shop.v1.UserService.GetUser", "shop.v1.UserService", "GetUser"],
    ["UserService/GetUser", "UserService", "GetUser"],
  ])("%s", (input, service, method) => {
    expect(parseMethodName(input)).toEqual({ service, method });
  });

  it.each(["GetUser", "shop.v1.UserService/", "a/b/c", "/"])("rejects %s", (input) => {
    expect(() => parseMethodName(input)).toThrow(DynamicClientError);
    expect(() => parseMethodName(input)).toThrow(/Service\/Method/);
  });
});

describe("closeMatches", () => {
  const services = ["shop.v1.UserService", "shop.v1.OrderService", "shop.v1.ProductCatalogService"];

  it("ranks same short name, then typos, and drops unrelated names", () => {
    expect(closeMatches("UserService", services)).toEqual(["shop.v1.UserService"]);
    expect(closeMatches("shop.v1.UsrService", services)).toEqual(["shop.v1.UserService"]);
    expect(closeMatches("Zebra", services)).toEqual([]);
  });

  it("is case-insensitive and limited", () => {
    expect(closeMatches("getuser", ["GetUser", "GetUsers", "SetUser", "Delete"], 2)).toEqual([
      "GetUser",
      "GetUsers",
    ]);
  });

  it("edit distance counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("parseDuration", () => {
  it.each([
    ["5s", 5000],
    ["250ms", 250],
    ["1.5m", 90_000],
    ["1m30s", 90_000],
    ["2h", 7_200_000],
    ["3", 3000],
  ])("%s is %i ms", (text, millis) => {
    expect(parseDuration(text)).toBe(millis);
  });

  it.each(["", "5 parsecs", "s", "5s junk", "-1s"])("rejects %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });
});
