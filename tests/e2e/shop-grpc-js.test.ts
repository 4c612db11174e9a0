/**
 * Client (b): a plain @grpc/grpc-js client that knows the shop only from its descriptor set
 * (no ts-proto code), against the shop as `grpc-cfg serve` runs it. One of each call kind, an
 * auth refusal per kind of bad credential and an error with details; then the request log
 * and key usage. Runs on PostgreSQL when a server is available, else on PGlite.
 */
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANONYMOUS,
  CallLedger,
  callerOf,
  keyUsage,
  rejectedKeyCaller,
} from "../support/call-ledger.js";
import { GrpcJsShop } from "../support/grpc-js-shop.js";
import { createTestDatabase } from "../support/postgres.js";
import { startShopStack } from "../support/shop-stack.js";
import type { ShopStack } from "../support/shop-stack.js";

const database = await createTestDatabase("gcfg_e2e_grpcjs");
const USERS = "shop.v1.UserService";
const ORDERS = "shop.v1.OrderService";

describe(`shop over plain grpc-js (${database ? "PostgreSQL" : "PGlite"})`, () => {
  let shop: ShopStack;
  let client: GrpcJsShop;
  const ledger = new CallLedger();

  beforeAll(async () => {
    shop = await startShopStack(
      database ? { kind: "postgres", url: database.url } : { kind: "pglite" },
    );
    client = new GrpcJsShop(shop.address, ledger);
  });
  afterAll(async () => {
    client?.close();
    await shop?.stop();
    await database?.drop();
  });

  it("unary: GetUser answers anonymous callers in proto field names; unknown ids are NOT_FOUND", async () => {
    const found = await client.unary(
      USERS,
      "GetUser",
      { user_id: String(shop.alice.id) },
      ANONYMOUS,
    );
    expect(found).toMatchObject({
      ok: true,
      value: {
        user: {
          id: String(shop.alice.id),
          username: "alice",
          first_name: "Alice",
          is_active: true,
        },
      },
    });
    const missing = await client.unary(USERS, "GetUser", { user_id: "9999999" }, ANONYMOUS);
    expect(missing).toMatchObject({ ok: false, error: { code: status.NOT_FOUND } });
  });

  it("unary with a key: UpdateProfile changes the caller's own profile", async () => {
    const change = { first_name: "Bobby", last_name: "Tables", bio: "grpc-js" };
    const updated = await client.unary(USERS, "UpdateProfile", change, callerOf(shop.bob));
    expect(updated).toMatchObject({
      ok: true,
      value: { user: { id: String(shop.bob.id), ...change } },
    });
  });

  it("server stream: ListUsers needs a key, then streams users in id order", async () => {
    const refused = await client.serverStream(USERS, "ListUsers", {}, ANONYMOUS);
    expect(refused).toMatchObject({ ok: false, error: { code: status.UNAUTHENTICATED } });
    const listed = await client.serverStream(USERS, "ListUsers", {}, callerOf(shop.carol));
    if (!listed.ok) throw new Error(listed.error.message);
    const ids = listed.value.map((item) => Number((item.user as { id: string }).id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toEqual(expect.arrayContaining([shop.alice.id, shop.bob.id, shop.carol.id]));
  });

  it("client stream: BatchCreateUsers counts the users; a duplicate creates nobody", async () => {
    const created = await client.clientStream(
      USERS,
      "BatchCreateUsers",
      [{ username: "grpcjs_one" }, { username: "grpcjs_two", email: "two@example.com" }],
      callerOf(shop.alice),
    );
    expect(created).toEqual({ ok: true, value: { created_count: 2 } });
    const duplicate = await client.clientStream(
      USERS,
      "BatchCreateUsers",
      [{ username: "grpcjs_three" }, { username: "grpcjs_one" }],
      callerOf(shop.alice),
    );
    expect(duplicate).toMatchObject({ ok: false, error: { code: status.ALREADY_EXISTS } });
    expect(await shop.store.users.find("grpcjs_three")).toBeNull();
  });

  it("bidi: Chat replies to each message before the next one is sent", async () => {
    const replies = await client.bidi(
      "shop.v1.ChatService",
      "Chat",
      [{ text: "one" }, { text: "two" }],
      callerOf(shop.bob),
    );
    if (!replies.ok) throw new Error(replies.error.message);
    expect(replies.value.map((r) => [r.text, r.user_name, r.sequence])).toEqual([
      ["one", "bob", "1"],
      ["two", "bob", "2"],
    ]);
  });

  it("errors carry google.rpc.BadRequest details in grpc-status-details-bin", async () => {
    const invalid = await client.unary(
      ORDERS,
      "CreateOrder",
      {
        items: [
          { product_id: "0", quantity: 1 },
          { product_id: "1", quantity: -2 },
        ],
      },
      callerOf(shop.bob),
    );
    expect(invalid).toEqual({
      ok: false,
      error: {
        code: status.INVALID_ARGUMENT,
        message: "Invalid order",
        violations: ["items[0].product_id", "items[1].quantity"],
      },
    });
  });

  it("refuses no key, a malformed key and a revoked key with UNAUTHENTICATED", async () => {
    const revoked = await shop.createAccount("grpcjs_revoked");
    await shop.store.apiKeys.revoke(revoked.keyId);
    for (const caller of [
      ANONYMOUS,
      rejectedKeyCaller("malformed", "gcfg_bad"),
      rejectedKeyCaller("revoked", revoked.key),
    ]) {
      const refused = await client.unary(ORDERS, "GetOrder", { order_id: "1" }, caller);
      expect(refused).toMatchObject({ ok: false, error: { code: status.UNAUTHENTICATED } });
    }
  });

  it("calls grpc-js answers before any handler are answered, logged, and use no key", async () => {
    // The key is never checked: no authenticator runs, so the row has no user and the key's
    // count does not move (the ledger checks both below).
    const unchecked = {
      ...ANONYMOUS,
      label: "carol's key, unchecked",
      metadata: { "x-api-key": shop.carol.key },
    };
    const unknownMethod = await client.raw(
      "/shop.v1.UserService/DropAll",
      new Uint8Array(),
      unchecked,
    );
    expect(unknownMethod).toEqual({ code: status.UNIMPLEMENTED });
    const unknownService = await client.raw("/scan.v1.Probe/Info", new Uint8Array(), ANONYMOUS);
    expect(unknownService).toEqual({ code: status.UNIMPLEMENTED });
    const junk = Uint8Array.from([0xff, 0xff, 0xff, 0xff]);
    const undecodable = await client.raw(`/${USERS}/GetUser`, junk, ANONYMOUS);
    expect(undecodable).toEqual({ code: status.INTERNAL });
  });

  it("logged every call once with its user and key, and counted each key's use", async () => {
    const rows = await ledger.loggedRows(shop.store);
    expect(ledger.entries.length).toBeGreaterThanOrEqual(12);
    expect(ledger.mismatches(rows)).toEqual([]);
    const expected = ledger.callsPerKey();
    expect(await keyUsage(shop.store, expected)).toEqual(expected);
  });
});
