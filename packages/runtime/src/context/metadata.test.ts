import { Metadata } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import { parsePeerAddress, resolveClientAddress } from "../index.js";

describe("parsePeerAddress", () => {
  it.each([
    ["ipv4:10.1.2.3:5555", "10.1.2.3"],
    ["10.1.2.3:5555", "10.1.2.3"],
    ["ipv6:[::1]:5555", "::1"],
    ["[2001:db8::7]:443", "2001:db8::7"],
    ["2001:db8::7", "2001:db8::7"],
    ["unix:/tmp/grpc.sock", "unix:/tmp/grpc.sock"],
    ["unknown", null],
    ["", null],
  ])("%s → %s", (peer, expected) => {
    expect(parsePeerAddress(peer)).toBe(expected);
  });
});

describe("resolveClientAddress", () => {
  const ctx = (peer: string, forwarded?: string) => ({
    peer,
    metadata: forwarded === undefined ? Metadata() : Metadata({ "x-forwarded-for": forwarded }),
  });

  it("ignores x-forwarded-for from an untrusted peer (anyone can send it)", () => {
    expect(resolveClientAddress(ctx("ipv4:198.51.100.4:1", "1.2.3.4"), ["10.0.0.1"])).toBe(
      "198.51.100.4",
    );
    expect(resolveClientAddress(ctx("ipv4:198.51.100.4:1", "1.2.3.4"), [])).toBe("198.51.100.4");
  });

  it("takes the rightmost untrusted hop behind trusted proxies", () => {
    const trusted = ["10.0.0.1", "10.0.0.2"];
    expect(
      resolveClientAddress(ctx("ipv4:10.0.0.1:1", "6.6.6.6, 203.0.113.9, 10.0.0.2"), trusted),
    ).toBe("203.0.113.9");
  });

  it("treats an IPv4-mapped IPv6 peer as its IPv4 address", () => {
    expect(resolveClientAddress(ctx("ipv6:[::ffff:10.0.0.1]:1", "203.0.113.9"), ["10.0.0.1"])).toBe(
      "203.0.113.9",
    );
  });

  it("falls back to the peer when a trusted proxy sends no header", () => {
    expect(resolveClientAddress(ctx("ipv4:10.0.0.1:1"), ["10.0.0.1"])).toBe("10.0.0.1");
  });
});
