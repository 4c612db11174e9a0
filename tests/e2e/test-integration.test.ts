/**
 * `grpc-cfg test-integration` run as a user runs it — the real binary in a copy of the shop —
 * on the embedded database and on PostgreSQL, with the database checked before and after:
 * it must pass, report every step and remove exactly what it created, even when interrupted.
 * Broken projects: test-integration-broken.test.ts.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { createTestDatabase } from "../support/postgres.js";
import type { ProcessResult } from "../support/processes.js";
import { copyShop } from "../support/shop-copy.js";
import type { ShopCopy } from "../support/shop-copy.js";
import {
  SECRET,
  STEPS,
  openUsedStore,
  snapshot,
  startTestIntegration,
  stepLine,
  summaryLine,
  testIntegration,
} from "../support/test-integration-cli.js";

describe("grpc-cfg test-integration on the shop as it is (embedded database)", () => {
  let copy: ShopCopy;
  let result: ProcessResult;
  beforeAll(async () => {
    copy = await copyShop();
    result = await testIntegration(copy);
  });
  afterAll(async () => {
    await copy?.remove();
  });

  it("passes, reporting each step in order, the secret-key step skipped", () => {
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    for (const step of STEPS) {
      expect(stepLine(result, step)).toMatch(step === "call with secret key" ? /SKIP/ : /PASS/);
    }
    const order = STEPS.map((step) => result.stdout.indexOf(stepLine(result, step)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(stepLine(result, "choose method")).toContain("shop.v1.OrderService/GetOrder");
    expect(stepLine(result, "call with key")).toContain("INVALID_ARGUMENT");
    expect(stepLine(result, "call without key")).toContain("UNAUTHENTICATED");
    expect(stepLine(result, "call with invalid key")).toContain("UNAUTHENTICATED");
    expect(stepLine(result, "request logs")).toContain("3 rows, one per call");
    expect(stepLine(result, "key usage")).toContain("request_count 1");
    expect(summaryLine(result)).toMatch(/^test-integration: PASS · 11 passed, 1 skipped, 0 failed/);
  });

  it("leaves nothing behind, and fails at start while the database is in use", async () => {
    const store = await openUsedStore({ dataDir: path.join(copy.root, ".grpc-cfg/data") });
    try {
      expect(await snapshot(store)).toEqual({ users: [], keys: [], logs: [], instances: 0 });
      // The embedded database is this process's while the store is open.
      const locked = await testIntegration(copy, ["--quiet"]);
      expect(locked.exitCode).toBe(1);
      expect(stepLine(locked, "start server")).toMatch(/FAIL/);
      expect(locked.stdout).toMatch(/hint: .*another process uses the embedded database/);
      expect(summaryLine(locked)).toMatch(/^test-integration: FAIL at step "start server"/);
    } finally {
      await store.close();
    }
  });
});

const database = await createTestDatabase("gcfg_e2e_it");

describe.skipIf(database === null)("grpc-cfg test-integration on PostgreSQL", () => {
  let copy: ShopCopy;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let existingUserId: number;
  const env = { DATABASE_URL: database?.url, GRPC_CFG_SECRET_KEY: SECRET };
  const unchanged = async () => {
    const store = await openUsedStore({ url: database!.url });
    try {
      expect(await snapshot(store)).toEqual(before);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    copy = await copyShop();
    await copy.edit(
      "grpc-cfg.config.ts",
      "strictDiscovery: true,",
      "strictDiscovery: true,\n  auth: { secretKey: { enabled: true } },",
    );
    // Someone else's data, which the runs must not touch.
    const store = await openStore({
      url: database!.url,
      migrationsFolders: [path.join(copy.root, "drizzle")],
      logger: silentLogger,
    });
    const existing = await store.users.create({ username: "existing_customer" });
    existingUserId = existing.id;
    await store.apiKeys.create({ user: existing.id, name: "existing key" });
    before = await snapshot(store);
    await store.close();
  });
  afterAll(async () => {
    await copy?.remove();
    await database?.drop();
  });

  it("passes every step with --app, --probe and the secret key, removing only what it made", async () => {
    const request = JSON.stringify({ userId: String(existingUserId) });
    const args = ["--app", "users", "--probe", "shop.v1.UserService/GetUser", "--request", request];
    const result = await testIntegration(copy, args, env);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    for (const step of STEPS) expect(stepLine(result, step)).toMatch(/PASS/);
    expect(stepLine(result, "config")).toContain("app src/users only");
    expect(stepLine(result, "choose method")).toContain("named by --probe");
    expect(stepLine(result, "call without key")).toContain("anonymous allowed");
    expect(stepLine(result, "call with secret key")).toContain("→ OK");
    expect(stepLine(result, "call with invalid key")).toContain("ignored by design");
    expect(stepLine(result, "request logs")).toMatch(/4 rows, one per call .*secret → user \d+/);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    await unchanged();
  });

  it("cleans up and exits 130 when interrupted mid-run", async () => {
    const run = startTestIntegration(copy, env);
    await run.waitFor(/PASS\s+temporary key/, 120_000);
    run.signal("SIGINT");
    expect(await run.exited(), run.stdout + run.stderr).toBe(130);
    expect(run.stdout).toContain("SIGINT: cleaning up before exiting");
    await unchanged();
  });
});
