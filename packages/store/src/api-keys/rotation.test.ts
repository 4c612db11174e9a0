import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const backends = await testBackends();
const HOUR = 3_600_000;

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`API key rotation on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await backend.open();
    });

    async function keyExpiringIn(ms: number | null) {
      const user = await store.users.create({ username: uniqueName("rot") });
      const expiresAt = ms === null ? undefined : new Date(Date.now() + ms);
      return (await store.apiKeys.create({ user: user.id, name: "rotated", expiresAt })).record;
    }

    it("ends the grace at the key's own expiry when that comes sooner", async () => {
      const record = await keyExpiringIn(1.5 * HOUR);
      const rotated = await store.apiKeys.rotate(record.id, { graceSeconds: 7 * 24 * 3_600 });
      // The old key stops at its expiry, and graceUntil says so rather than a week later.
      expect(rotated.previous.expiresAt).toEqual(record.expiresAt);
      expect(rotated.previous.graceUntil).toEqual(record.expiresAt);
      expect((await store.apiKeys.get(record.id)).graceUntil).toEqual(record.expiresAt);
      // The replacement inherits the expiry.
      expect(rotated.record.expiresAt).toEqual(record.expiresAt);
    });

    it("ends the grace after graceSeconds when the key lives longer (or forever)", async () => {
      for (const lifetime of [30 * 24 * HOUR, null]) {
        const record = await keyExpiringIn(lifetime);
        const before = Date.now();
        const rotated = await store.apiKeys.rotate(record.id, { graceSeconds: 3_600 });
        const graceUntil = rotated.previous.graceUntil?.getTime() ?? 0;
        expect(graceUntil).toBeGreaterThanOrEqual(before + HOUR - 1_000);
        expect(graceUntil).toBeLessThanOrEqual(Date.now() + HOUR);
        expect(rotated.previous.expiresAt?.getTime()).toBe(graceUntil);
        expect(rotated.record.expiresAt).toEqual(record.expiresAt);
      }
    });
  });
}
