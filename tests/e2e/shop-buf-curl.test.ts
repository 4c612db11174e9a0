/**
 * Client (c): `buf curl` against the shop as `grpc-cfg serve` runs it, on embedded PGlite in a
 * temp folder. buf knows nothing of the shop but what server reflection tells it. One of each
 * call kind, auth refusals and an error with details; then the request log and key usage.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANONYMOUS,
  CallLedger,
  callerOf,
  keyUsage,
  rejectedKeyCaller,
} from "../support/call-ledger.js";
import { bufCurl } from "../support/buf-curl.js";
import { runProcess } from "../support/processes.js";
import { badRequestFields } from "../support/rpc-status.js";
import { REPO_ROOT, startShopStack } from "../support/shop-stack.js";
import type { ShopStack } from "../support/shop-stack.js";

describe("shop over buf curl (reflection), PGlite", () => {
  let shop: ShopStack;
  const ledger = new CallLedger();
  const call = (
    method: string,
    caller: Parameters<typeof bufCurl>[1]["caller"],
    input: { data?: unknown; stream?: unknown[] },
  ) => bufCurl(ledger, { address: shop.address, method, caller, ...input });

  beforeAll(async () => {
    shop = await startShopStack({ kind: "pglite" });
  });
  afterAll(async () => {
    await shop?.stop();
  });

  it("lists every shop method through reflection", async () => {
    const listed = await runProcess(
      path.join(REPO_ROOT, "node_modules/.bin/buf"),
      [
        "curl",
        "--protocol",
        "grpc",
        "--http2-prior-knowledge",
        "--list-methods",
        `http://${shop.address}`,
      ],
      { cwd: REPO_ROOT },
    );
    expect(listed.exitCode).toBe(0);
    for (const method of [
      "shop.v1.UserService/BatchCreateUsers",
      "shop.v1.ProductCatalogService/SearchProducts",
      "shop.v1.OrderService/CancelOrder",
      "shop.v1.ChatService/Chat",
    ]) {
      expect(listed.stdout.split("\n")).toContain(method);
    }
  });

  it("unary: GetUser returns the user; an unknown id exits non-zero with not_found", async () => {
    const found = await call("shop.v1.UserService/GetUser", callerOf(shop.bob), {
      data: { userId: String(shop.carol.id) },
    });
    expect(found.exitCode).toBe(0);
    expect(found.messages).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ id: String(shop.carol.id), username: "carol" }),
      }),
    ]);
    const missing = await call("shop.v1.UserService/GetUser", ANONYMOUS, {
      data: { userId: "9999999" },
    });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.error).toMatchObject({ code: "not_found" });
  });

  it("server stream: SearchProducts streams matches, cheapest first, within the limit", async () => {
    const result = await call("shop.v1.ProductCatalogService/SearchProducts", ANONYMOUS, {
      data: { query: "e", limit: 3 },
    });
    expect(result.exitCode).toBe(0);
    const cents = result.messages.map((m) =>
      Number((m.product as { priceCents: string }).priceCents),
    );
    expect(cents).toHaveLength(3);
    expect(cents).toEqual([...cents].sort((a, b) => a - b));
  });

  it("client stream from stdin: BatchCreateUsers returns the count", async () => {
    const result = await call("shop.v1.UserService/BatchCreateUsers", callerOf(shop.alice), {
      stream: [{ username: "curl_one" }, { username: "curl_two", email: "two@example.com" }],
    });
    expect(result.exitCode).toBe(0);
    expect(result.messages).toEqual([{ createdCount: 2 }]);
    expect(await shop.store.users.find("curl_two")).toMatchObject({ email: "two@example.com" });
  });

  it("bidi from stdin: Chat echoes each message with the caller's name", async () => {
    const result = await call("shop.v1.ChatService/Chat", callerOf(shop.carol), {
      stream: [{ text: "a" }, { text: "b" }],
    });
    expect(result.exitCode).toBe(0);
    expect(result.messages.map((m) => [m.text, m.userName, m.sequence])).toEqual([
      ["a", "carol", "1"],
      ["b", "carol", "2"],
    ]);
  });

  it("an error carries its google.rpc.BadRequest details", async () => {
    const result = await call("shop.v1.OrderService/CreateOrder", callerOf(shop.bob), {
      data: { items: [] },
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toMatchObject({ code: "invalid_argument", message: "Invalid order" });
    const details = (result.error?.details ?? []).map((d) => ({
      type: d.type,
      value: Buffer.from(d.value, "base64"),
    }));
    expect(badRequestFields(details)).toEqual(["items"]);
  });

  it("refuses a call without a key and one with a revoked key with unauthenticated", async () => {
    const revoked = await shop.createAccount("curl_revoked");
    await shop.store.apiKeys.revoke(revoked.keyId);
    for (const caller of [ANONYMOUS, rejectedKeyCaller("revoked key", revoked.key)]) {
      const result = await call("shop.v1.UserService/ListUsers", caller, { data: {} });
      expect(result.exitCode).not.toBe(0);
      expect(result.error).toMatchObject({ code: "unauthenticated" });
    }
  });

  it("logged every call once with its user and key, and counted each key's use", async () => {
    const rows = await ledger.loggedRows(shop.store);
    expect(ledger.entries.length).toBe(8);
    expect(ledger.mismatches(rows)).toEqual([]);
    const expected = ledger.callsPerKey();
    expect(await keyUsage(shop.store, expected)).toEqual(expected);
  });
});
