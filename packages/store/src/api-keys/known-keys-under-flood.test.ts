import type { AuthResult } from "@grpc-cfg/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { expectOk } from "../testdata/auth-results.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { generateKey } from "./key-format.js";

const backends = await testBackends();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`known keys under a flood on ${backend.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.open();
    });

    // Anyone can mint well-formed keys; each unseen one costs a lookup. Before, once a real
    // key's cache entry expired its re-lookup queued behind (or was shed with) the flood, so
    // a client with no credential at all could lock out every working client every TTL.
    it("looks a key found before up again ahead of a full queue of made-up keys", async () => {
      const auth = store.createApiKeyAuthenticator({
        cacheTtlMs: 50,
        maxConcurrentLookups: 1,
        maxQueuedLookups: 2,
      });
      const user = await store.users.create({ username: uniqueName("u") });
      const { key } = await store.apiKeys.create({ user: user.id, name: "working client" });
      expectOk(await auth.authenticate({ source: "api-key", value: key }));
      await sleep(80); // the cache entry expires

      const flood = Array.from({ length: 8 }, () =>
        Promise.resolve(auth.authenticate({ source: "api-key", value: generateKey().key })),
      );
      const again = Promise.resolve(auth.authenticate({ source: "api-key", value: key }));
      const settled = await Promise.allSettled([...flood, again]);

      expectOk(await again);
      // The flood itself is bounded as before: 1 running + 2 queued, the rest shed.
      const floodResults = settled.slice(0, 8);
      expect(floodResults.filter((r) => r.status === "rejected")).toHaveLength(5);
      expect(
        floodResults
          .filter((r): r is PromiseFulfilledResult<AuthResult | null> => r.status === "fulfilled")
          .map((r) => r.value),
      ).toEqual(Array(3).fill({ ok: false, reason: "unknown API key" }));
      await auth.close();
    });

    it("gives no priority to a key the database never had", async () => {
      const auth = store.createApiKeyAuthenticator({
        negativeCacheTtlMs: 1,
        maxConcurrentLookups: 1,
        maxQueuedLookups: 0,
      });
      const madeUp = generateKey().key;
      await auth.authenticate({ source: "api-key", value: madeUp });
      await sleep(5);
      const busy = Promise.resolve(
        auth.authenticate({ source: "api-key", value: generateKey().key }),
      );
      const retried = Promise.resolve(auth.authenticate({ source: "api-key", value: madeUp }));
      await expect(retried).rejects.toMatchObject({ details: expect.stringMatching(/Too many/) });
      await busy;
      await auth.close();
    });
  });
}
