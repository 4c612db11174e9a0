import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { StoreError, type Store } from "../index.js";
import { insertBulkLogs } from "./testdata/bulk-logs.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { rowsOf } from "../sql-rows.js";
import { boundedRead } from "./bounded-read.js";

const backends = await testBackends();

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`request log statement timeout on ${backend.name}`, () => {
    let store: Store;
    const service = uniqueName("timeout.v1.Svc");

    beforeAll(async () => {
      store = await backend.open();
      await insertBulkLogs(store, { service, count: 50_000 });
    });

    it("answers reads within the limit as before", async () => {
      const logs = store.requestLogs.withStatementTimeout(60_000);
      const stats = await logs.statistics({ service, hours: 48 });
      expect(stats.total).toBe(50_000);
      expect((await logs.methodStatistics({ service, hours: 48 })).length).toBe(10);
      expect((await logs.list({ service, limit: 5 })).items.length).toBe(5);
    });

    it("refuses a timeout that is not a positive number of milliseconds", () => {
      expect(() => store.requestLogs.withStatementTimeout(0)).toThrow(StoreError);
      expect(() => store.requestLogs.withStatementTimeout(Number.NaN)).toThrow(/milliseconds/);
    });

    // PGlite runs in this process without timer signals, so only PostgreSQL cancels.
    it.skipIf(backend.name === "pglite")(
      "cancels a slow read and says so, leaving the pooled connection's setting alone",
      async () => {
        const started = Date.now();
        const error = await store.requestLogs
          .withStatementTimeout(1)
          .methodStatistics({ service, hours: 48 })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        expect(error).toMatchObject({ code: "aborted" });
        expect((error as Error).message).toMatch(/longer than 1 ms and was cancelled/);

        const slept = await boundedRead(store.provider.readOnly, 100, (db) =>
          db.execute(sql`select pg_sleep(5)`),
        ).catch((e: unknown) => e);
        expect(slept).toMatchObject({ code: "aborted" });
        expect(Date.now() - started).toBeLessThan(4_000);

        // SET LOCAL ends with the transaction: the next query on any pooled connection is free.
        const settings = await Promise.all(
          Array.from({ length: 8 }, () =>
            store.provider.readOnly.execute(sql`select current_setting('statement_timeout') as t`),
          ),
        );
        for (const result of settings) expect(rowsOf<{ t: string }>(result)[0]?.t).toBe("0");
      },
    );
  });
}
