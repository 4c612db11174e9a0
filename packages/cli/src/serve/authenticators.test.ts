// `auth.jwt` settings that work but accept tokens nobody meant to accept are warned about at
// start (refusing them would break running configs).
import type { GrpcCfgConfig } from "@grpc-cfg/runtime";
import { ConfigError, resolveConfig } from "@grpc-cfg/runtime";
import { describe, expect, it } from "vitest";
import { jwtConfigWarnings } from "./authenticators.js";

const jwtOf = (jwt: NonNullable<GrpcCfgConfig["auth"]>["jwt"]) =>
  resolveConfig({ auth: { jwt } } as GrpcCfgConfig, { env: {}, root: "/app" }).auth.jwt;

describe("auth.jwt warnings", () => {
  it("warns when a JWKS is used without an audience and with userLookup auto", () => {
    const warnings = jwtConfigWarnings(jwtOf({ jwksUrl: "https://idp.example.com/jwks.json" }));
    expect(warnings).toEqual([
      expect.stringMatching(/^auth\.jwt: no audience set, .* set auth\.jwt\.audience/),
      expect.stringMatching(
        /^auth\.jwt: userLookup "auto" reads an all-digit sub as a local user id, .*"username"/,
      ),
    ]);
  });

  it("is quiet once audience and userLookup are set, and for a shared HS256 secret", () => {
    expect(
      jwtConfigWarnings(
        jwtOf({ jwksFile: "jwks.json", audience: "orders-api", userLookup: "username" }),
      ),
    ).toEqual([]);
    // Tokens signed with our own secret are ours: ids in them are local ids.
    expect(jwtConfigWarnings(jwtOf({ secret: "s".repeat(32) }))).toEqual([]);
    expect(jwtConfigWarnings(null)).toEqual([]);
  });

  it("refuses an unknown userLookup, naming the choices", () => {
    expect(() => jwtOf({ secret: "s".repeat(32), userLookup: "email" as "id" })).toThrow(
      ConfigError,
    );
    expect(() => jwtOf({ secret: "s".repeat(32), userLookup: "email" as "id" })).toThrow(
      /auth\.jwt\.userLookup: expected "auto", "id" or "username"/,
    );
  });
});
