import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { advertisedAddress } from "./advertised-address.js";

const info = (address: string, family: "IPv4" | "IPv6", internal = false): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null }) as NetworkInterfaceInfo;

const host = {
  lo: [info("127.0.0.1", "IPv4", true), info("::1", "IPv6", true)],
  eth0: [info("fe80::1", "IPv6"), info("2001:db8::5", "IPv6"), info("10.0.0.5", "IPv4")],
};

describe("advertisedAddress", () => {
  it("records a specific bound host as is", () => {
    expect(advertisedAddress("10.1.2.3", null, host)).toBe("10.1.2.3");
    expect(advertisedAddress("127.0.0.1", null, host)).toBe("127.0.0.1");
  });

  it("replaces a wildcard with the host's first external address", () => {
    expect(advertisedAddress("0.0.0.0", null, host)).toBe("10.0.0.5");
    expect(advertisedAddress("::", null, host)).toBe("10.0.0.5");
    expect(advertisedAddress("::", null, { eth0: [info("2001:db8::5", "IPv6")] })).toBe(
      "2001:db8::5",
    );
  });

  it("keeps the wildcard when the host has no external address", () => {
    expect(advertisedAddress("0.0.0.0", null, { lo: host.lo })).toBe("0.0.0.0");
  });

  it("prefers the configured address", () => {
    expect(advertisedAddress("0.0.0.0", "api-1.internal", host)).toBe("api-1.internal");
  });
});
