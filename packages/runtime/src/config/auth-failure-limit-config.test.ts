import { describe, expect, it } from "vitest";
import type { GrpcCfgConfig } from "../index.js";
import { ConfigError, resolveConfig } from "../index.js";

const resolve = (config: Record<string, unknown>) =>
  resolveConfig(config as GrpcCfgConfig, { env: {}, root: "/app" });

describe("auth.failureLimit", () => {
  it("is off by default (maxFailures 0), with a 10 s window and 60 s blocks when set", () => {
    expect(resolve({}).auth.failureLimit).toEqual({
      maxFailures: 0,
      windowMs: 10_000,
      blockMs: 60_000,
    });
  });

  it("takes a limit and refuses negative or unknown fields", () => {
    expect(resolve({ auth: { failureLimit: { maxFailures: 100 } } }).auth.failureLimit).toEqual({
      maxFailures: 100,
      windowMs: 10_000,
      blockMs: 60_000,
    });
    expect(() => resolve({ auth: { failureLimit: { maxFailures: -1 } } })).toThrow(ConfigError);
    expect(() => resolve({ auth: { failureLimit: { windowMs: 0 } } })).toThrow(ConfigError);
    expect(() => resolve({ auth: { failureLimit: { max: 5 } } })).toThrow(ConfigError);
  });
});
