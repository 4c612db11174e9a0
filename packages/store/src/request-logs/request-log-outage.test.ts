// A real outage: the sink talks to PostgreSQL through a TCP proxy that the test cuts.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestLogs, type Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { logRecord } from "../testdata/log-records.js";
import { proxyPostgres, type TcpProxy } from "../testdata/tcp-proxy.js";

const postgres = (await testBackends()).find((backend) => backend.name === "postgres");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgres || postgres.skip !== null)(
  "request log sink during a PostgreSQL outage",
  () => {
    let direct: Store;
    let proxied: Store;
    let proxy: TcpProxy;

    beforeAll(async () => {
      direct = await postgres!.open();
      const through = await proxyPostgres(postgres!.url!);
      proxy = through.proxy;
      proxied = await postgres!.open({
        url: through.url,
        migrate: false,
        pool: { connectTimeoutSeconds: 2, closeTimeoutSeconds: 0.2 },
      });
    });

    afterAll(async () => {
      await proxy?.close();
    });

    async function countRows(service: string): Promise<number> {
      const [row] = await direct.db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(requestLogs)
        .where(sql`${requestLogs.service} = ${service}`);
      return row?.n ?? -1;
    }

    it("keeps accepting writes instantly while the database is down and stores them after recovery", async () => {
      const service = uniqueName("outage");
      const sink = proxied.createRequestLogSink({
        batchSize: 50,
        flushIntervalMs: 50,
        initialRetryMs: 50,
        maxRetryMs: 400,
      });
      sink.write(logRecord({ service }));
      await sink.flush();
      await proxy.cut();
      const started = process.hrtime.bigint();
      for (let i = 0; i < 500; i += 1) sink.write(logRecord({ service }));
      const writeMs = Number(process.hrtime.bigint() - started) / 1e6;
      expect(writeMs).toBeLessThan(250);
      await sleep(1_000);
      // Every unwritten record reads as queued, also those of the insert being retried.
      expect(sink.stats()).toEqual({ queued: 500, dropped: 0, written: 1 });
      expect(await countRows(service)).toBe(1);
      await proxy.restore();
      await sink.flush();
      expect(await countRows(service)).toBe(501);
      expect(sink.stats()).toEqual({ queued: 0, dropped: 0, written: 501 });
      await sink.close();
    });

    it("drops the oldest records beyond maxQueue during the outage", async () => {
      const service = uniqueName("overflow");
      const sink = proxied.createRequestLogSink({
        maxQueue: 100,
        batchSize: 10,
        flushIntervalMs: 50,
        initialRetryMs: 50,
        maxRetryMs: 200,
      });
      await proxy.cut();
      for (let i = 0; i < 250; i += 1) sink.write(logRecord({ service, requestId: `seq-${i}` }));
      await sleep(300);
      expect(sink.stats().dropped).toBe(150);
      await proxy.restore();
      await sink.flush();
      const rows = await direct.db
        .select({ requestId: requestLogs.requestId })
        .from(requestLogs)
        .where(sql`${requestLogs.service} = ${service}`);
      const kept = rows.map((row) => Number(row.requestId.slice(4))).sort((a, b) => a - b);
      expect(kept).toEqual(Array.from({ length: 100 }, (_, i) => 150 + i));
      await sink.close();
    });

    it("close() gives up after its timeout and counts what it could not write", async () => {
      const service = uniqueName("gone");
      const sink = proxied.createRequestLogSink({
        flushIntervalMs: 50,
        initialRetryMs: 50,
        maxRetryMs: 200,
        closeTimeoutMs: 500,
      });
      await proxy.cut();
      for (let i = 0; i < 10; i += 1) sink.write(logRecord({ service }));
      const started = Date.now();
      await sink.close();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(sink.stats()).toMatchObject({ written: 0, dropped: 10, queued: 0 });
      await proxy.restore();
    });
  },
);
