// Needs the built package (the child imports dist/): `npx tsc -b packages/store` first.
import { describe, expect, it } from "vitest";
import { startChild } from "../testdata/child-process.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const postgres = (await testBackends()).find((backend) => backend.name === "postgres");

describe.skipIf(!postgres || postgres.skip !== null)(
  "revocation across processes (PostgreSQL)",
  () => {
    it("a second process that cached the key rejects it within 2 s of the revoke", async () => {
      const store = await postgres!.open();
      const user = await store.users.create({ username: uniqueName("remote") });
      const { key, record } = await store.apiKeys.create({ user: user.id, name: "shared" });
      const child = startChild("revocation-listener.mjs", {
        TEST_DATABASE_URL: postgres!.url!,
        TEST_API_KEY: key,
      });
      try {
        expect(await child.nextLine()).toBe("ready");
        const revokedAt = Date.now();
        await store.apiKeys.revoke(record.id);
        const report = JSON.parse(await child.nextLine(5_000)) as {
          rejectedAt: number;
          reason: string;
          lookups: number;
        };
        const elapsed = report.rejectedAt - revokedAt;
        console.info(`revocation seen by the other process after ${elapsed} ms`);
        expect(report.reason).toBe("API key revoked");
        expect(elapsed).toBeLessThan(2_000);
        // One lookup before the revoke, one after the invalidation: the cache (TTL 10 min) was
        // dropped by the notification, not by expiry.
        expect(report.lookups).toBe(2);
        expect(await child.exited).toBe(0);
      } finally {
        child.process.kill("SIGKILL");
      }
    });
  },
);
