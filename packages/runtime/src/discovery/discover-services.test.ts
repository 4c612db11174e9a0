import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  createJsonLogger,
  discoverServices,
  DiscoveryError,
  findServiceModules,
} from "../index.js";
import { services } from "../testdata/gen/grpc-cfg.manifest.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../testdata/discovery");
const app = (name: string) => join(fixtures, name);

async function discoveryError(promise: Promise<unknown>): Promise<DiscoveryError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DiscoveryError);
  return error as DiscoveryError;
}

describe("finding implementation modules", () => {
  it("finds the conventional names, preferring .ts over a .js beside it", () => {
    const files = findServiceModules([app("good")]).map((f) => f.slice(app("good").length + 1));
    expect(files).toEqual([
      "account/grpc-handlers.mjs",
      "catalog/services/grpc.ts",
      "users/grpc-services.ts",
    ]);
  });

  it("names a missing app folder", () => {
    expect(() => findServiceModules([app("nope")])).toThrow(/App folder not found: .*nope/);
  });
});

describe("discoverServices", () => {
  it("matches TS and JS implementations to their generated services and instantiates them", async () => {
    const result = await discoverServices({ apps: [app("good")], services, root: fixtures });
    const found = Object.fromEntries(result.services.map((s) => [s.entry.fullName, s.className]));
    expect(found).toEqual({
      "testsvc.v1.TestService": "TestService",
      "testsvc.v1.CatalogService": "CatalogService",
      "testsvc.v1.AccountService": "AccountService",
    });
    expect(result.missing).toEqual([]);
    const account = result.services.find((s) => s.className === "AccountService");
    expect(account?.file.endsWith("grpc-handlers.mjs")).toBe(true);
  });

  it("lists a class's missing methods by rpc and handler name", async () => {
    const error = await discoveryError(
      discoverServices({ apps: [app("missing-method")], services, root: fixtures }),
    );
    expect(error.problems).toContain(
      "AccountService (missing-method/grpc-services.ts) implements testsvc.v1.AccountService but lacks: Me → me()",
    );
  });

  it("names both files when two classes implement one service", async () => {
    const error = await discoveryError(
      discoverServices({ apps: [app("duplicate")], services, root: fixtures }),
    );
    expect(error.problems[0]).toBe(
      "testsvc.v1.CatalogService has 2 implementations: CatalogServiceA (duplicate/a/grpc-services.ts) and CatalogServiceB (duplicate/b/grpc-services.ts); keep one",
    );
  });

  it("warns about services without an implementation", async () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    const result = await discoverServices({
      apps: [app("partial")],
      services,
      root: fixtures,
      logger,
    });
    expect(result.services.map((s) => s.entry.fullName)).toEqual(["testsvc.v1.CatalogService"]);
    expect(result.missing.map((e) => e.fullName)).toEqual([
      "testsvc.v1.TestService",
      "testsvc.v1.AccountService",
    ]);
    const warnings = lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(warnings.filter((w) => w.level === "warn").map((w) => w.msg)).toEqual([
      "testsvc.v1.TestService has no implementation (extend TestServiceBase in a grpc-services.ts under partial)",
      "testsvc.v1.AccountService has no implementation (extend AccountServiceBase in a grpc-services.ts under partial)",
    ]);
  });

  it("fails on services without an implementation when strict", async () => {
    const error = await discoveryError(
      discoverServices({ apps: [app("partial")], services, root: fixtures, strict: true }),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain("testsvc.v1.AccountService has no implementation");
  });

  it("loads TypeScript in plain Node through tsx (built runtime, no vitest)", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(fixtures, "node-discover.mjs"),
    ]);
    const result = JSON.parse(stdout) as { services: string[][]; me: { username: string } };
    expect(result.services).toEqual([
      ["testsvc.v1.TestService", "TestService", "good/users/grpc-services.ts"],
      ["testsvc.v1.CatalogService", "CatalogService", "good/catalog/services/grpc.ts"],
      ["testsvc.v1.AccountService", "AccountService", "good/account/grpc-handlers.mjs"],
    ]);
    expect(result.me.username).toBe("from-js");
  });
});
