import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
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

describe("discovery problems with the files themselves", () => {
  const root = mkdtempSync(join(tmpdir(), "grpc-cfg-discovery-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  /** A fresh app folder under `root` with `files` (path → content). */
  function appWith(name: string, files: Record<string, string>): string {
    const dir = join(root, name);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), content);
    }
    return dir;
  }

  it("a module that throws while loading is a problem naming the file and where", async () => {
    const dir = appWith("throws", {
      "orders/grpc-services.mjs": "const config = undefined;\nexport const x = config.port;\n",
    });
    const error = await discoveryError(discoverServices({ apps: [dir], services, root }));
    expect(error.loadFailed).toBe(true);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^throws\/orders\/grpc-services\.mjs could not be loaded: loading it threw TypeError: .*port.* \(at throws\/orders\/grpc-services\.mjs:2:\d+\)$/,
    );
  });

  it("a module importing generated code that is gone says to run generate", async () => {
    const dir = appWith("stale", {
      "gen/.keep": "",
      "orders/grpc-services.mjs":
        'export { OrdersServiceBase } from "../gen/orders.grpc-cfg.js";\n',
    });
    const error = await discoveryError(
      discoverServices({ apps: [dir], services, root, generated: join(dir, "gen") }),
    );
    expect(error.problems).toEqual([
      expect.stringMatching(
        /^stale\/orders\/grpc-services\.mjs could not be loaded: .*gen\/orders\.grpc-cfg\.js.* \(generated code it imports is missing: run `grpc-cfg generate`; was its proto removed or renamed\?\)$/,
      ),
    ]);
    // No "has no implementation" for the services it might have held.
    expect(error.message).not.toContain("has no implementation");
  });

  const generated = join(here, "../testdata/gen/testsvc/v1/test_service.grpc-cfg.js");
  const handlers =
    "  async writeRow() { return { id: 1 }; }\n  async countRows() { return { count: 1 }; }\n";

  it("a class re-exported by a second discovered file is one implementation", async () => {
    const dir = appWith("barrel", {
      "grpc-services.ts": 'export * from "./catalog/grpc-services.js";\n',
      "catalog/grpc-services.ts":
        `import { CatalogServiceBase } from "${generated}";\n` +
        `export class CatalogService extends CatalogServiceBase {\n${handlers}}\n`,
    });
    const result = await discoverServices({ apps: [dir], services, root });
    expect(result.files).toHaveLength(2);
    expect(result.services.map((s) => [s.entry.fullName, s.className])).toEqual([
      ["testsvc.v1.CatalogService", "CatalogService"],
    ]);
  });

  it("an exported helper class the implementation extends is not a second one", async () => {
    for (const [name, order] of [
      ["helper-first", ["AuditedCatalogService", "CatalogService"]],
      ["helper-last", ["CatalogService", "AuditedCatalogService"]],
    ] as const) {
      const classes = {
        AuditedCatalogService:
          "export abstract class AuditedCatalogService extends CatalogServiceBase {\n" +
          "  protected audit(what: string): string { return what; }\n}\n",
        CatalogService: `export class CatalogService extends AuditedCatalogService {\n${handlers}}\n`,
      };
      const dir = appWith(name, {
        "catalog/grpc-services.ts":
          `import { CatalogServiceBase } from "${generated}";\n` +
          // Classes are not hoisted: the base must come first whatever the export order.
          classes.AuditedCatalogService.replace("export ", "") +
          classes.CatalogService.replace("export ", "") +
          `export { ${order.join(", ")} };\n`,
      });
      const result = await discoverServices({ apps: [dir], services, root });
      expect(
        result.services.map((s) => s.className),
        name,
      ).toEqual(["CatalogService"]);
    }
  });

  it("two complete implementations in one hierarchy: says which extends which", async () => {
    const dir = appWith("hierarchy", {
      "catalog/grpc-services.ts":
        `import { CatalogServiceBase } from "${generated}";\n` +
        `export class CatalogService extends CatalogServiceBase {\n${handlers}}\n` +
        "export class CachedCatalogService extends CatalogService {\n" +
        "  override async countRows() { return { count: 2 }; }\n}\n",
    });
    const error = await discoveryError(discoverServices({ apps: [dir], services, root }));
    expect(error.problems).toEqual([
      "testsvc.v1.CatalogService has 2 implementations: CatalogService (hierarchy/catalog/grpc-services.ts) and CachedCatalogService (hierarchy/catalog/grpc-services.ts); CatalogService is a base class of CachedCatalogService: export only the class to serve (don't export a base class from a grpc-services file)",
    ]);
  });

  it("names a near-miss file that mentions the service's base class", async () => {
    const dir = appWith("misnamed", {
      "catalog/services/grpc.ts":
        'export { CatalogService } from "' +
        join(fixtures, "good/catalog/services/grpc.js") +
        '";\n',
      "test/grpc-service.ts": "class TestService extends TestServiceBase {}\n",
      "account/GrpcHandlers.tsx": "class AccountService extends AccountServiceBase {}\n",
      "other/grpc_services.ts": "// nothing of ours\n",
    });
    const error = await discoveryError(
      discoverServices({ apps: [dir], services, root, strict: true, files: [] }),
    );
    // With an explicit file list nothing else is looked at.
    expect(error.problems.join("\n")).not.toContain("rename");

    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    await discoverServices({
      apps: [dir],
      services,
      root,
      logger,
      files: undefined,
    }).catch(() => undefined);
    const warnings = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(warnings).toContain(
      "testsvc.v1.TestService has no implementation (extend TestServiceBase in a grpc-services.ts under misnamed); this file mentions TestServiceBase but is not loaded, rename: misnamed/test/grpc-service.ts → misnamed/test/grpc-services.ts",
    );
    expect(warnings).toContain(
      "testsvc.v1.AccountService has no implementation (extend AccountServiceBase in a grpc-services.ts under misnamed); this file mentions AccountServiceBase but is not loaded, rename: misnamed/account/GrpcHandlers.tsx → misnamed/account/grpc-handlers.ts",
    );
  });
});
