import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Status } from "nice-grpc";
import type { ChatRequest } from "../gen/shop/v1/chat.js";
import { AsyncQueue } from "../testing/async-queue.js";
import { collect, grpcError, streamOf, violatedFields } from "../testing/grpc-test-helpers.js";
import { startShop } from "../testing/shop-harness.js";
import type { ShopHarness } from "../testing/shop-harness.js";

let shop: ShopHarness;

beforeAll(async () => {
  shop = await startShop();
});

afterAll(async () => {
  await shop?.close();
});

describe("Chat (bidirectional stream, auth optional)", () => {
  it("replies to each message before the next is sent", async () => {
    const outgoing = new AsyncQueue<ChatRequest>();
    const replies = shop.clients(shop.bob.key).chat.chat(outgoing)[Symbol.asyncIterator]();
    const started = Date.now();
    for (const [index, text] of ["hello", "is my order shipped?", "thanks"].entries()) {
      outgoing.push({ text });
      const { value, done } = await replies.next();
      expect(done).toBe(false);
      expect(value).toMatchObject({ text, userName: "bob", sequence: index + 1 });
      expect(value?.sentAt?.getTime()).toBeGreaterThanOrEqual(started - 1000);
    }
    outgoing.end();
    expect((await replies.next()).done).toBe(true);
  });

  it("names anonymous callers `anonymous`", async () => {
    const replies = await collect(
      shop.clients().chat.chat(streamOf([{ text: "hi" }, { text: "anyone?" }])),
    );
    expect(replies.map((r) => [r.userName, r.sequence, r.text])).toEqual([
      ["anonymous", 1, "hi"],
      ["anonymous", 2, "anyone?"],
    ]);
  });

  it("refuses a wrong key with UNAUTHENTICATED instead of treating it as anonymous", async () => {
    const error = await grpcError(() =>
      collect(shop.clients("gcfg_wrong").chat.chat(streamOf([{ text: "hi" }]))),
    );
    expect(error.code).toBe(Status.UNAUTHENTICATED);
  });

  it("ends the stream with INVALID_ARGUMENT on an empty message, after the earlier replies", async () => {
    const received: string[] = [];
    const error = await grpcError(async () => {
      for await (const reply of shop
        .clients(shop.carol.key)
        .chat.chat(streamOf([{ text: "first" }, { text: "   " }, { text: "never" }]))) {
        received.push(reply.text);
      }
    });
    expect(received).toEqual(["first"]);
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(violatedFields(error)).toEqual(["text"]);
  });
});
