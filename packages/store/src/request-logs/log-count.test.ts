import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { insertBulkLogs } from "./testdata/bulk-logs.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const backends = await testBackends();

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`capped request log counts on ${backend.name}`, () => {
    let store: Store;
    const service = uniqueName("count.v1.Svc");

    beforeAll(async () => {
      store = await backend.open();
      await insertBulkLogs(store, { service, count: 5_000 });
    });

    it("counts exactly up to the limit", async () => {
      expect(await store.requestLogs.countUpTo({ service }, 10_000)).toEqual({
        count: 5_000,
        exact: true,
      });
      expect(await store.requestLogs.countUpTo({ service, status: "error" }, 100)).toEqual({
        count: 100,
        exact: true,
      });
      expect(await store.requestLogs.countUpTo({ service: "none.v1.Svc" }, 0)).toEqual({
        count: 0,
        exact: true,
      });
    });

    it("estimates past the limit instead of reading every row", async () => {
      const counted = await store.requestLogs.countUpTo({ service }, 1_000);
      expect(counted.exact).toBe(false);
      expect(counted.count).toBeGreaterThan(1_000);
      // The planner's estimate after ANALYZE: the right order of magnitude.
      expect(counted.count).toBeLessThan(50_000);
      const recent = await store.requestLogs.countUpTo({ service, hours: 12 }, 10);
      expect(recent.exact).toBe(false);
      expect(recent.count).toBeGreaterThan(10);
    });

    it("refuses a negative limit", async () => {
      await expect(store.requestLogs.countUpTo({ service }, -1)).rejects.toMatchObject({
        code: "invalid-argument",
      });
    });
  });
}
