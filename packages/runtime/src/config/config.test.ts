import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { GrpcCfgConfig } from "../index.js";
import { ConfigError, loadConfig, resolveConfig } from "../index.js";

const here = dirname(fileURLToPath(import.meta.url));
const project = (name: string) => join(here, "../testdata/config", name);

function issues(
  config: GrpcCfgConfig | Record<string, unknown>,
  env: Record<string, string> = {},
): string[] {
  try {
    resolveConfig(config as GrpcCfgConfig, { env, root: "/app" });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error("config was accepted");
}

describe("config defaults", () => {
  it("works with nothing set", () => {
    const config = resolveConfig({}, { env: {}, root: "/app" });
    expect(config.server).toMatchObject({
      host: "0.0.0.0",
      port: 50051,
      maxReceiveMessageBytes: 4 * 1024 * 1024,
      workers: 1,
      shutdownGraceMs: 10_000,
      tls: null,
    });
    expect(config.apps).toEqual(["/app/src"]);
    expect(config.generated).toBe("/app/src/gen");
    expect(config.database).toEqual({
      url: null,
      dataDir: "/app/.grpc-cfg/data",
      migrate: true,
      migrations: [],
    });
    expect(config.auth).toMatchObject({
      apiKeyHeader: "x-api-key",
      secretKey: { enabled: false, value: null },
      jwt: null,
    });
    expect(config.monitor).toEqual({ enabled: true, host: "127.0.0.1", port: 50052 });
    expect(config.environment).toBe("development");
  });
});

describe("config validation names the field", () => {
  it("server.port", () => {
    expect(issues({ server: { port: "abc" } })).toEqual([
      'server.port: expected an integer 0–65535, got "abc"',
    ]);
    expect(issues({ server: { port: 70000 } })).toEqual([
      "server.port: expected an integer 0–65535, got 70000",
    ]);
  });

  it("reports every bad field, nested ones and unknown ones", () => {
    const found = issues({
      server: { workers: 0, keepalive: { timeMs: -1, permitWithoutCalls: true } },
      logging: { batchSize: 1.5 },
      monitr: {},
    });
    expect(found).toContain("server.workers: expected an integer 1–256, got 0");
    expect(found).toContain("server.keepalive.timeMs: expected an integer 1–2147483647, got -1");
    expect(found).toContain("logging.batchSize: expected an integer 1–2000, got 1.5");
    expect(found).toContain("monitr: unknown field");
    // Removed: grpc-js servers have no ping policy, so it never did anything.
    expect(found).toContain("server.keepalive.permitWithoutCalls: unknown field");
  });

  it("logging.batchSize stops where the store's sink does (2 000 rows per insert)", () => {
    expect(issues({ logging: { batchSize: 2_001 } })).toEqual([
      "logging.batchSize: expected an integer 1–2000, got 2001",
    ]);
    expect(
      resolveConfig({ logging: { batchSize: 2_000 } }, { env: {}, root: "/app" }).logging.batchSize,
    ).toBe(2_000);
  });

  it("accepts the generate section grpc-cfg generate reads, and checks it", () => {
    const config = resolveConfig({ generate: { templates: "tpl" } }, { env: {}, root: "/app" });
    expect(config.generate).toEqual({ templates: "/app/tpl" });
    expect(resolveConfig({}, { env: {}, root: "/app" }).generate).toEqual({ templates: null });
    expect(issues({ generate: { templates: "" } }).join("\n")).toMatch(/generate\.templates/);
    expect(issues({ generate: { template: "x" } }).join("\n")).toMatch(/generate/);
  });

  it("mTLS without a CA", () => {
    expect(
      issues({ server: { tls: { cert: "c", key: "k", requireClientCert: true } } })[0],
    ).toMatch(/^server\.tls\.ca: requireClientCert needs `ca`/);
  });

  it("never echoes secrets in messages", () => {
    const found = issues({ database: { url: "mysql://user:hunter2@db" } });
    expect(found).toEqual([
      "database.url: expected a postgres:// or postgresql:// URL, got <redacted>",
    ]);
  });

  it("never echoes a value of the wrong type at or above a secret field", () => {
    const secret = "TOPSECRET-abcdefghijklmnopqrstuvwxyz";
    const cases: Record<string, unknown>[] = [
      { auth: secret },
      { auth: { jwt: secret } },
      { auth: { jwt: { secret: 12345 } } },
      { auth: { jwt: { secret, jwksFile: "jwks.json" } } },
      { auth: { secretKey: secret } },
      { auth: { secretKey: { value: 42 } } },
      { auth: { apiKeyHeader: secret } },
      { database: secret },
      { database: { url: 12345 } },
    ];
    for (const config of cases) {
      const found = issues(config).join("\n");
      expect(found, JSON.stringify(config)).toContain("<redacted>");
      expect(found, JSON.stringify(config)).not.toMatch(/TOPSECRET|12345|\b42\b/);
    }
  });

  it("checks JWT settings: one key source, a long secret, an http(s) JWKS URL", () => {
    const jwt = (settings: Record<string, unknown>) => issues({ auth: { jwt: settings } });
    expect(jwt({ secret: "short" })).toEqual([
      "auth.jwt.secret: must be at least 32 characters (HS256 needs 256 bits), got <redacted>",
    ]);
    expect(jwt({ secret: "s".repeat(32), jwksFile: "jwks.json" })).toEqual([
      "auth.jwt: set exactly one of secret, jwksUrl or jwksFile, got <redacted>",
    ]);
    expect(jwt({})).toEqual([
      "auth.jwt: set exactly one of secret, jwksUrl or jwksFile, got <redacted>",
    ]);
    expect(jwt({ jwksUrl: "ftp://example.com/jwks" })).toEqual([
      "auth.jwt.jwksUrl: expected an http:// or https:// URL, got <redacted>",
    ]);
    const accepted = (settings: Record<string, unknown>) =>
      resolveConfig({ auth: { jwt: settings } }, { env: {}, root: "/app" }).auth.jwt;
    expect(accepted({ secret: "s".repeat(32) })?.secret).toBe("s".repeat(32));
    expect(accepted({ jwksUrl: "http://127.0.0.1:8080/jwks" })?.jwksUrl).toBe(
      "http://127.0.0.1:8080/jwks",
    );
    expect(accepted({ jwksFile: "keys/jwks.json" })?.jwksFile).toBe("/app/keys/jwks.json");
  });

  it("refuses the dev secret key in production, and requires a long value", () => {
    const secret = "s".repeat(40);
    expect(
      issues({ auth: { secretKey: { enabled: true, value: secret } } }, { NODE_ENV: "production" }),
    ).toEqual(["auth.secretKey.enabled: the dev secret key is refused when NODE_ENV=production"]);
    expect(issues({ auth: { secretKey: { enabled: true } } })[0]).toMatch(
      /^auth\.secretKey\.value: required/,
    );
    expect(issues({ auth: { secretKey: { enabled: true, value: "short" } } })).toEqual([
      "auth.secretKey.value: must be at least 32 characters",
    ]);
    // With the other config problems, before any database work (the store checks it too).
    expect(issues({ auth: { secretKey: { enabled: true, value: `gcfg_${secret}` } } })).toEqual([
      'auth.secretKey.value: must not start with "gcfg_" (that prefix marks API keys)',
    ]);
  });
});

describe("database.migrations", () => {
  it("takes paths and { folder, table } objects, resolving the paths against the root", () => {
    const config = resolveConfig(
      {
        database: {
          migrations: ["drizzle", { folder: "db/migrations", table: "orders_migrations" }],
        },
      },
      { env: {}, root: "/app" },
    );
    expect(config.database.migrations).toEqual([
      { folder: "/app/drizzle" },
      { folder: "/app/db/migrations", table: "orders_migrations" },
    ]);
  });

  it("refuses tables PostgreSQL would quote or cut, and entries of another shape", () => {
    expect(
      issues({
        database: {
          migrations: [{ folder: "a", table: "Orders" }, { folder: "b", table: "x".repeat(64) }, 3],
        },
      }),
    ).toEqual([
      'database.migrations.0.table: expected a table name: [a-z_][a-z0-9_]*, at most 63 characters, got "Orders"',
      `database.migrations.1.table: expected a table name: [a-z_][a-z0-9_]*, at most 63 characters, got "${"x".repeat(64)}"`,
      "database.migrations.2: expected a path or { folder, table? }, got 3",
    ]);
  });
});

describe("environment overrides", () => {
  it("apply over the file, and CLI overrides apply over the environment", () => {
    const env = {
      HOST: "127.0.0.1",
      PORT: "6001",
      DATABASE_URL: "postgres://u:p@localhost/db",
      GRPC_CFG_DATA_DIR: "/data",
      GRPC_CFG_SECRET_KEY: "k".repeat(32),
      MONITOR_PORT: "6002",
      NODE_ENV: "staging",
      GRPC_CFG_STRICT_DISCOVERY: "true",
    };
    const config = resolveConfig(
      { server: { port: 5000, host: "0.0.0.0" }, auth: { secretKey: { enabled: true } } },
      { env, root: "/app", overrides: { server: { port: 6100 } } },
    );
    expect(config.server.host).toBe("127.0.0.1");
    expect(config.server.port).toBe(6100);
    expect(config.database.url).toBe("postgres://u:p@localhost/db");
    expect(config.database.dataDir).toBe("/data");
    expect(config.auth.secretKey.value).toBe("k".repeat(32));
    expect(config.monitor.port).toBe(6002);
    expect(config.environment).toBe("staging");
    expect(config.strictDiscovery).toBe(true);
  });

  it("say which variable a bad value came from", () => {
    expect(issues({}, { PORT: "abc" })).toEqual([
      'server.port: expected an integer 0–65535, got "abc" (from PORT)',
    ]);
  });
});

describe("loadConfig", () => {
  it("loads a TypeScript config file with defineConfig, resolving paths against the root", async () => {
    const config = await loadConfig(project("ts-project"), {}, { env: {} });
    expect(config.configFile).toBe(join(project("ts-project"), "grpc-cfg.config.ts"));
    expect(config.server.port).toBe(6000);
    expect(config.server.tls?.cert).toBe(join(project("ts-project"), "certs/server.pem"));
    expect(config.apps).toEqual([join(project("ts-project"), "src/apps")]);
    expect(config.logging.trustedProxies).toEqual(["10.0.0.1"]);
  });

  it("loads a JavaScript config file and applies overrides", async () => {
    const config = await loadConfig(project("js-project"), { server: { port: 0 } }, { env: {} });
    expect(config.server.port).toBe(0);
    expect(config.strictDiscovery).toBe(true);
  });

  it("reports bad fields with the file name", async () => {
    const error = await loadConfig(project("bad-project"), {}, { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("bad-project/grpc-cfg.config.ts");
    expect(message).toContain('server.port: expected an integer 0–65535, got "abc"');
    expect(message).toContain("monitr: unknown field");
  });

  it("works without a config file", async () => {
    const config = await loadConfig(here, {}, { env: {} });
    expect(config.configFile).toBeNull();
    expect(config.server.port).toBe(50051);
  });

  it("names a missing explicit config file", async () => {
    await expect(loadConfig(here, {}, { configFile: "nope.ts" })).rejects.toThrow(
      /config file not found: .*nope\.ts/,
    );
  });
});
