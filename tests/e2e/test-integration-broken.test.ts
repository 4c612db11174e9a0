/**
 * `grpc-cfg test-integration` (the real binary) on broken copies of the shop: it must exit 1
 * and name the step that failed, still running its cleanup; bad flags are usage errors.
 */
import { afterAll, describe, expect, it } from "vitest";
import { copyShop } from "../support/shop-copy.js";
import type { ShopCopy } from "../support/shop-copy.js";
import { stepLine, summaryLine, testIntegration } from "../support/test-integration-cli.js";

describe("grpc-cfg test-integration on broken projects", () => {
  const copies: ShopCopy[] = [];
  const freshCopy = async () => {
    const copy = await copyShop();
    copies.push(copy);
    return copy;
  };
  afterAll(async () => {
    for (const copy of copies) await copy.remove();
  });

  it("exits 1 at the start-server step when a service has no implementation", async () => {
    const copy = await freshCopy();
    await copy.edit("src/chat/grpc-services.ts", "export class ChatService", "class ChatService");
    const result = await testIntegration(copy);
    expect(result.exitCode).toBe(1);
    expect(stepLine(result, "generate")).toMatch(/PASS/);
    expect(stepLine(result, "start server")).toMatch(/FAIL .*Service discovery failed/);
    expect(result.stdout).toContain("shop.v1.ChatService has no implementation");
    expect(stepLine(result, "cleanup")).toMatch(/PASS .*nothing was created/);
    expect(result.stdout).toMatch(/not run: choose method, temporary key/);
    expect(summaryLine(result)).toMatch(/^test-integration: FAIL at step "start server"/);
  });

  it("exits 1 at the config step when the config is invalid", async () => {
    const copy = await freshCopy();
    await copy.edit("grpc-cfg.config.ts", "port: 50051", 'port: "fifty"');
    const result = await testIntegration(copy);
    expect(result.exitCode).toBe(1);
    expect(stepLine(result, "config")).toMatch(/FAIL .*Invalid configuration/);
    expect(result.stdout).toContain("server.port");
    expect(summaryLine(result)).toMatch(/^test-integration: FAIL at step "config"/);
  });

  it("exits 1 at the config step for an --app the project does not have", async () => {
    const copy = await freshCopy();
    const result = await testIntegration(copy, ["--app", "billing"]);
    expect(result.exitCode).toBe(1);
    expect(stepLine(result, "config")).toMatch(/FAIL .*--app billing: not an app folder/);
    expect(stepLine(result, "config")).toContain("src/users");
  });

  it("rejects --request without --probe as bad usage (exit 2) before touching anything", async () => {
    const copy = await freshCopy();
    const result = await testIntegration(copy, ["--request", "{}"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--request needs --probe");
    expect(result.stdout).toBe("");
  });
});
