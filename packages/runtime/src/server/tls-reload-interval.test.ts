// server.tls.reloadInterval as the config accepts it: a duration with its unit, or off.
import { describe, expect, it } from "vitest";
import type { GrpcCfgConfig } from "../index.js";
import { ConfigError, resolveConfig } from "../index.js";
import { parseTlsReloadInterval } from "./tls-reload-interval.js";

const withInterval = (reloadInterval: unknown) =>
  ({ server: { tls: { cert: "c.pem", key: "k.pem", reloadInterval } } }) as GrpcCfgConfig;

function issues(config: GrpcCfgConfig): string[] {
  try {
    resolveConfig(config, { env: {}, root: "/app" });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error("config was accepted");
}

describe("server.tls.reloadInterval", () => {
  it("defaults to 60s", () => {
    const config = resolveConfig({ server: { tls: { cert: "c.pem", key: "k.pem" } } }, { env: {} });
    expect(config.server.tls?.reloadInterval).toBe("60s");
  });

  it("takes durations with a unit, and off", () => {
    for (const value of ["500ms", "30s", "5m", "1h", "1m30s", "off", "0", 0]) {
      const config = resolveConfig(withInterval(value), { env: {}, root: "/app" });
      expect(config.server.tls?.reloadInterval).toBe(value);
    }
    expect(parseTlsReloadInterval("1m30s")).toBe(90_000);
    expect(parseTlsReloadInterval("250ms")).toBe(250);
    expect(parseTlsReloadInterval("off")).toBe(0);
    expect(parseTlsReloadInterval(0)).toBe(0);
  });

  it("refuses a bare number, a word, and intervals Node's timers cannot keep", () => {
    expect(issues(withInterval(60))).toEqual([
      'server.tls.reloadInterval: expected a duration like "60s", "500ms" or "5m" (with its unit), or "off" (or 0) to not reload, got 60',
    ]);
    expect(issues(withInterval("soon"))[0]).toMatch(
      /^server\.tls\.reloadInterval: expected a duration like "60s".*, got "soon"$/,
    );
    expect(issues(withInterval("10ms"))[0]).toMatch(
      /^server\.tls\.reloadInterval: expected a duration from "100ms" to "596h", or "off", got "10ms"$/,
    );
    expect(issues(withInterval("600h"))[0]).toMatch(/from "100ms" to "596h"/);
  });
});
