import type { AuthResult } from "@grpc-cfg/runtime";
import { ServerError, Status } from "nice-grpc-common";
import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { expectOk } from "../testdata/auth-results.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { generateKey } from "./key-format.js";
import type { ApiKeyAuthenticator } from "./api-key-authenticator.js";

const backends = await testBackends();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`API key authenticator on ${backend.name}`, () => {
    let store: Store;
    let queries = 0;

    beforeAll(async () => {
      store = await backend.open({ onQuery: () => (queries += 1) });
    });

    /** `key` is accepted synchronously, without a query: it came from the cache. */
    function expectAnsweredFromCache(auth: ApiKeyAuthenticator, key: string) {
      const before = queries;
      const cached = auth.authenticate({ source: "api-key", value: key });
      expect(cached).not.toBeInstanceOf(Promise);
      expectOk(cached as AuthResult);
      expect(queries).toBe(before);
    }

    async function newKey(options: { expiresAt?: Date; permissions?: string[] } = {}) {
      const user = await store.users.create({ username: uniqueName("u") });
      if (options.permissions) await store.users.grant(user.id, options.permissions);
      const created = await store.apiKeys.create({
        user: user.id,
        name: "test key",
        expiresAt: options.expiresAt,
      });
      return { user, ...created };
    }

    it("accepts a new key and resolves owner, permissions and key info", async () => {
      const auth = store.createApiKeyAuthenticator();
      const { user, key, record } = await newKey({ permissions: ["orders.create"] });
      const identity = expectOk(await auth.authenticate({ source: "api-key", value: key }));
      expect(identity.method).toBe("api-key");
      expect(identity.user.id).toBe(user.id);
      expect([...identity.user.permissions]).toEqual(["orders.create"]);
      expect(identity.apiKey).toEqual({
        id: record.id,
        name: "test key",
        displayPrefix: record.displayPrefix,
        userId: user.id,
      });
      expect(key.startsWith(record.displayPrefix)).toBe(true);
      await auth.close();
    });

    it("answers a cached key synchronously, with no query, and an unseen key with a promise", async () => {
      const auth = store.createApiKeyAuthenticator();
      const { key } = await newKey();
      const first = auth.authenticate({ source: "api-key", value: key });
      expect(first).toBeInstanceOf(Promise);
      expectOk(await first);
      expectAnsweredFromCache(auth, key);
      await auth.close();
    });

    it("stores only the SHA-256 hash and a short prefix, never the key", async () => {
      const { key, record } = await newKey();
      const rows = await store.db.execute(`select * from api_keys where id = ${record.id}`);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(key);
      expect(text).toContain(record.displayPrefix);
      expect(record.displayPrefix.length).toBeLessThan(16);
    });

    it("rejects a key once it has expired, even while cached", async () => {
      const auth = store.createApiKeyAuthenticator();
      const { key } = await newKey({ expiresAt: new Date(Date.now() + 1_000) });
      expectOk(await auth.authenticate({ source: "api-key", value: key }));
      expectAnsweredFromCache(auth, key);
      expectAnsweredFromCache(auth, key);
      await sleep(1_100);
      expect(await auth.authenticate({ source: "api-key", value: key })).toEqual({
        ok: false,
        reason: "API key expired",
      });
      await auth.close();
    });

    it("rejects a revoked key at once on the revoking instance", async () => {
      const auth = store.createApiKeyAuthenticator({ cacheTtlMs: 60_000 });
      const { key, record } = await newKey();
      expectOk(await auth.authenticate({ source: "api-key", value: key }));
      // From the cache twice: the second time the key's hash is remembered, not recomputed.
      expectAnsweredFromCache(auth, key);
      expectAnsweredFromCache(auth, key);
      await store.apiKeys.revoke(record.id);
      expect(await auth.authenticate({ source: "api-key", value: key })).toEqual({
        ok: false,
        reason: "API key revoked",
      });
      await expect(store.apiKeys.revoke(record.id)).rejects.toMatchObject({
        code: "failed-precondition",
      });
      await auth.close();
    });

    it("rotation keeps both keys valid during the grace period, then only the new one", async () => {
      const auth = store.createApiKeyAuthenticator({ cacheTtlMs: 60_000 });
      const { key: oldKey, record } = await newKey();
      expectOk(await auth.authenticate({ source: "api-key", value: oldKey }));
      const rotated = await store.apiKeys.rotate(record.id, { graceSeconds: 1 });
      expect(rotated.record.rotatedFromId).toBe(record.id);
      expect(rotated.previous.graceUntil).not.toBeNull();
      expectOk(await auth.authenticate({ source: "api-key", value: oldKey }));
      expectOk(await auth.authenticate({ source: "api-key", value: rotated.key }));
      await sleep(1_100);
      expect(await auth.authenticate({ source: "api-key", value: oldKey })).toEqual({
        ok: false,
        reason: "API key expired",
      });
      expectOk(await auth.authenticate({ source: "api-key", value: rotated.key }));
      await expect(store.apiKeys.rotate(record.id, { graceSeconds: 0 })).rejects.toMatchObject({
        code: "failed-precondition",
      });
      await auth.close();
    });

    it("rejects malformed keys before any database work", async () => {
      const auth = store.createApiKeyAuthenticator();
      const { key } = await newKey();
      const flipped = key.slice(0, 20) + (key[20] === "A" ? "B" : "A") + key.slice(21);
      const before = queries;
      for (const value of ["", "nonsense", "gcfg_short", flipped, `${key}x`, key.toLowerCase()]) {
        const result = await auth.authenticate({ source: "api-key", value });
        expect(result?.ok, value).toBe(false);
        expect((result as { reason: string }).reason).toMatch(/^malformed API key/);
      }
      expect(queries).toBe(before);
      // The counter does see lookups: an unknown but well-formed key costs exactly one.
      const beforeLookup = queries;
      await auth.authenticate({ source: "api-key", value: generateKey().key });
      expect(queries).toBe(beforeLookup + 1);
      await auth.close();
    });

    it("remembers unknown keys briefly (negative cache) and serves cached keys without queries", async () => {
      const auth = store.createApiKeyAuthenticator();
      const { key } = generateKey();
      expect(await auth.authenticate({ source: "api-key", value: key })).toEqual({
        ok: false,
        reason: "unknown API key",
      });
      const { key: good } = await newKey();
      await auth.authenticate({ source: "api-key", value: good });
      const before = queries;
      expect((await auth.authenticate({ source: "api-key", value: key }))?.ok).toBe(false);
      expectOk(await auth.authenticate({ source: "api-key", value: good }));
      expect(queries).toBe(before);
      await auth.close();
    });

    it("drops cached users when they are deactivated, granted permissions or demoted", async () => {
      const auth = store.createApiKeyAuthenticator({ cacheTtlMs: 60_000 });
      const { user, key } = await newKey();
      expect([
        ...expectOk(await auth.authenticate({ source: "api-key", value: key })).user.permissions,
      ]).toEqual([]);
      await store.users.grant(user.id, ["catalog.view"]);
      expect([
        ...expectOk(await auth.authenticate({ source: "api-key", value: key })).user.permissions,
      ]).toEqual(["catalog.view"]);
      await store.users.update(user.id, { isSuperuser: true });
      expect(
        expectOk(await auth.authenticate({ source: "api-key", value: key })).user.isSuperuser,
      ).toBe(true);
      await store.users.update(user.id, { isSuperuser: false });
      expect(
        expectOk(await auth.authenticate({ source: "api-key", value: key })).user.isSuperuser,
      ).toBe(false);
      await store.users.setActive(user.id, false);
      expect(await auth.authenticate({ source: "api-key", value: key })).toEqual({
        ok: false,
        reason: "API key owner is inactive",
      });
      await auth.close();
    });

    it("leaves non-key Bearer tokens to other authenticators and accepts keys as Bearer", async () => {
      const auth = store.createApiKeyAuthenticator();
      const { key } = await newKey();
      expect(
        await auth.authenticate({ source: "bearer", value: "eyJhbGciOiJIUzI1NiJ9.e30.x" }),
      ).toBeNull();
      expectOk(await auth.authenticate({ source: "bearer", value: key }));
      await auth.close();
    });

    it("counts 1,000 concurrent authentications exactly", async () => {
      const auth = store.createApiKeyAuthenticator({ usageFlushIntervalMs: 60_000 });
      const { key, record } = await newKey();
      const results = await Promise.all(
        Array.from({ length: 1_000 }, () => auth.authenticate({ source: "api-key", value: key })),
      );
      expect(results.every((result) => result?.ok)).toBe(true);
      expect(auth.stats().lookups).toBeGreaterThanOrEqual(1);
      await auth.flushUsage();
      const after = await store.apiKeys.get(record.id);
      expect(after.requestCount).toBe(1_000);
      expect(after.lastUsedAt).not.toBeNull();
      await auth.close();
    });

    it("bounds lookups of unseen keys: past the running and queued ones, UNAVAILABLE", async () => {
      const auth = store.createApiKeyAuthenticator({
        maxConcurrentLookups: 1,
        maxQueuedLookups: 2,
      });
      // Well-formed keys nobody issued: each needs its own lookup.
      const madeUp = Array.from({ length: 6 }, () => generateKey().key);
      const settled = await Promise.allSettled(
        madeUp.map((value) => auth.authenticate({ source: "api-key", value })),
      );
      expect(settled.slice(0, 3)).toEqual(
        Array(3).fill({ status: "fulfilled", value: { ok: false, reason: "unknown API key" } }),
      );
      for (const refused of settled.slice(3)) {
        expect(refused.status).toBe("rejected");
        const reason = (refused as PromiseRejectedResult).reason as ServerError;
        expect(reason).toBeInstanceOf(ServerError);
        expect(reason.code).toBe(Status.UNAVAILABLE);
      }
      expect(auth.stats()).toMatchObject({ lookups: 3, shedLookups: 3 });
      // The slots are free again: a real key is looked up and accepted.
      const { key } = await newKey();
      expectOk(await auth.authenticate({ source: "api-key", value: key }));
      await auth.close();
    });

    it("keeps a known key cached however many made-up keys are tried", async () => {
      const auth = store.createApiKeyAuthenticator({ maxCacheEntries: 3 });
      const { key } = await newKey();
      expectOk(await auth.authenticate({ source: "api-key", value: key }));
      for (let i = 0; i < 10; i += 1) {
        const value = generateKey().key;
        expect(await auth.authenticate({ source: "api-key", value })).toMatchObject({ ok: false });
      }
      expectAnsweredFromCache(auth, key);
      await auth.close();
    });

    it("loses no counts when two instances flush concurrently (500 + 500)", async () => {
      // On PostgreSQL the second authenticator has its own store and connection pool.
      const other = backend.name === "postgres" ? await backend.open() : store;
      const first = store.createApiKeyAuthenticator({ usageFlushIntervalMs: 60_000 });
      const second = other.createApiKeyAuthenticator({ usageFlushIntervalMs: 60_000 });
      const { key, record } = await newKey();
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(
          [first, second].flatMap((auth) =>
            Array.from({ length: 100 }, () => auth.authenticate({ source: "api-key", value: key })),
          ),
        );
        await Promise.all([first.flushUsage(), second.flushUsage()]);
      }
      expect((await store.apiKeys.get(record.id)).requestCount).toBe(1_000);
      await Promise.all([first.close(), second.close()]);
    });
  });
}
