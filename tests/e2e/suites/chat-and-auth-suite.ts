/** shop.v1.ChatService (bidi) and the auth refusals, through the nice-grpc client (a). */
import { eq } from "drizzle-orm";
import { Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { apiKeys } from "@grpc-cfg/store";
import type { ChatRequest } from "../../../examples/shop/src/gen/shop/v1/chat.js";
import { AsyncQueue } from "../../../examples/shop/src/testing/async-queue.js";
import {
  collect,
  grpcError,
  streamOf,
} from "../../../examples/shop/src/testing/grpc-test-helpers.js";
import { ANONYMOUS, callerOf, rejectedKeyCaller } from "../../support/call-ledger.js";
import type { FixtureAccess } from "../../support/shop-fixture.js";

/** The bidi stream and every way a credential is refused or accepted. */
export function defineChatAndAuthTests(fx: FixtureAccess): void {
  describe("ChatService", () => {
    it("echoes each message as it arrives, with the caller's name and a sequence", async () => {
      const { shop, as } = fx();
      const outgoing = new AsyncQueue<Partial<ChatRequest>>();
      const replies = as(callerOf(shop.bob)).chat.chat(outgoing)[Symbol.asyncIterator]();
      // The second message is sent only after the first reply: replies stream as messages arrive.
      outgoing.push({ text: "hello" });
      const first = await replies.next();
      expect(first.value).toMatchObject({ text: "hello", userName: "bob", sequence: 1 });
      expect(first.value?.sentAt).toBeInstanceOf(Date);
      outgoing.push({ text: "still there?" });
      expect((await replies.next()).value).toMatchObject({ text: "still there?", sequence: 2 });
      outgoing.end();
      expect((await replies.next()).done).toBe(true);
    });

    it("lets anonymous callers chat as 'anonymous'", async () => {
      const replies = await collect(
        fx()
          .as(ANONYMOUS)
          .chat.chat(streamOf([{ text: "hi" }])),
      );
      expect(replies.map((reply) => [reply.userName, reply.text])).toEqual([["anonymous", "hi"]]);
    });

    it("ends the stream with INVALID_ARGUMENT on an empty message", async () => {
      const error = await grpcError(() =>
        collect(
          fx()
            .as(ANONYMOUS)
            .chat.chat(streamOf([{ text: "ok" }, { text: "  " }])),
        ),
      );
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(error.details).toContain("Message 2");
    });

    it("refuses a bad key even though auth is optional", async () => {
      const bad = rejectedKeyCaller("malformed key", "not-a-real-key");
      const error = await grpcError(() =>
        collect(
          fx()
            .as(bad)
            .chat.chat(streamOf([{ text: "x" }])),
        ),
      );
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });
  });

  describe("authentication", () => {
    it("refuses a malformed key and a well-formed unknown key with UNAUTHENTICATED", async () => {
      const { shop, as } = fx();
      const malformed = await grpcError(() =>
        collect(as(rejectedKeyCaller("malformed key", "gcfg_nope")).users.listUsers({})),
      );
      expect(malformed.code).toBe(Status.UNAUTHENTICATED);
      expect(malformed.details).toMatch(/malformed/);
      const ghost = await shop.createAccount("ghost_key_owner");
      await shop.store.db.delete(apiKeys).where(eq(apiKeys.id, ghost.keyId));
      const unknown = await grpcError(() =>
        collect(as(rejectedKeyCaller("unknown key", ghost.key)).users.listUsers({})),
      );
      expect(unknown.code).toBe(Status.UNAUTHENTICATED);
      expect(unknown.details).toMatch(/unknown API key/);
      expect(unknown.details).not.toContain(ghost.key);
    });

    it("stops accepting a key as soon as it is revoked", async () => {
      const { shop, as } = fx();
      const account = await shop.createAccount("revoked_key_owner");
      const before = await as(callerOf(account)).users.updateProfile({
        firstName: "R",
        lastName: "K",
        bio: "",
      });
      expect(before.user?.id).toBe(account.id);
      await shop.store.apiKeys.revoke(account.keyId);
      const after = await grpcError(() =>
        as(rejectedKeyCaller("revoked key", account.key)).users.updateProfile({
          firstName: "again",
          lastName: "",
          bio: "",
        }),
      );
      expect(after.code).toBe(Status.UNAUTHENTICATED);
      expect(after.details).toMatch(/revoked/);
    });

    it("accepts a key sent as a Bearer token", async () => {
      const { shop, as } = fx();
      const listed = await collect(as(callerOf(shop.carol, "bearer")).users.listUsers({}));
      expect(listed.length).toBeGreaterThanOrEqual(3);
    });

    it("ignores a bad key on a public method: the call runs, anonymously", async () => {
      const { shop, as } = fx();
      const { user } = await as(
        rejectedKeyCaller("bad key, public method", "gcfg_nope"),
      ).users.getUser({
        userId: shop.carol.id,
      });
      expect(user?.username).toBe("carol");
    });
  });
}
