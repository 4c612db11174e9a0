import { IN_MEMORY, openStore, silentLogger, type Store } from "@grpc-cfg/store";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { ApiError } from "../http/errors.js";
import { EXACT_TOTAL_UP_TO } from "./request-listing.js";
import { createStoreData } from "./store-data.js";

const database = await createTestDatabase("gcfg_monitor_data");
const ROWS = EXACT_TOTAL_UP_TO + 2_000;
const HOUR = 3_600_000;

const backends = [
  { name: "pglite", skip: false, options: { dataDir: IN_MEMORY } },
  { name: "postgres", skip: database === null, options: { url: database?.url ?? "" } },
] as const;

afterAll(async () => {
  await database?.drop();
});

for (const backend of backends) {
  describe.skipIf(backend.skip)(`monitor data over a large request log on ${backend.name}`, () => {
    let store: Store;
    const statements: string[] = [];

    beforeAll(async () => {
      store = await openStore({
        ...backend.options,
        logger: silentLogger,
        onQuery: (text) => statements.push(text),
      });
      await store.db.execute(sql`
        insert into request_logs (request_id, service, method, path, call_kind, status,
          grpc_code, duration_ms, created_at, completed_at)
        select md5(g::text), 'big.v1.Svc', 'M' || (g % 20), '/big.v1.Svc/M' || (g % 20),
          'unary', 'success', 0, (g % 1000) / 10.0,
          now() - make_interval(secs => g), now() - make_interval(secs => g)
        from generate_series(1, ${ROWS}::int) g`);
      await store.db.execute(sql`analyze request_logs`);
    });

    afterAll(async () => {
      await store?.close();
    });

    it("sizes the request listing's pager without counting every row", async () => {
      const data = createStoreData(store);
      statements.length = 0;
      const page = await data.listRequests({ pageSize: 25, page: 1 });
      expect(page.items).toHaveLength(25);
      expect(page.total).toBeGreaterThan(EXACT_TOTAL_UP_TO);
      const counts = statements.filter((text) => /count\(\*\)/i.test(text));
      expect(counts.length).toBeGreaterThan(0);
      for (const text of counts) expect(text).toMatch(/\blimit\b/i);

      // Small totals stay exact.
      const few = await data.listRequests({ method: "M3", pageSize: 25, page: 1, to: new Date() });
      expect(few.total).toBe(ROWS / 20);
    });

    it("answers figures within the default limit", async () => {
      const data = createStoreData(store);
      const window = { from: new Date(Date.now() - 24 * HOUR), to: new Date() };
      expect((await data.statistics(window)).total).toBe(ROWS);
      expect(await data.methodFigures(window)).toHaveLength(20);
    });

    // PGlite has no timer signals to cancel a statement with.
    it.skipIf(backend.name === "pglite")(
      "answers 503 with the reason when a figure query runs past the timeout",
      async () => {
        const data = createStoreData(store, { queryTimeoutMs: 1 });
        const window = { from: new Date(Date.now() - 24 * HOUR), to: new Date() };
        const error = await data.methodFigures(window).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ code: "unavailable", status: 503 });
        expect((error as Error).message).toMatch(/longer than 1 ms and was cancelled/);
        // The server itself is fine: the next query goes through.
        await data.ping();
      },
    );
  });
}
