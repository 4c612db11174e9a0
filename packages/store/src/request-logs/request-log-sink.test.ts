import { ConfigError, resolveConfig } from "@grpc-cfg/runtime";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_LOG_BATCH_SIZE, requestLogs, type Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { logRecord } from "../testdata/log-records.js";

const backends = await testBackends();

describe("logging.batchSize", () => {
  it("is accepted up to the sink's own cap and refused past it, not capped silently", () => {
    const batchSize = (value: number) =>
      resolveConfig({ logging: { batchSize: value } }, { env: {}, root: "/app" }).logging.batchSize;
    expect(batchSize(MAX_LOG_BATCH_SIZE)).toBe(MAX_LOG_BATCH_SIZE);
    expect(() => batchSize(MAX_LOG_BATCH_SIZE + 1)).toThrow(ConfigError);
  });
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`request log sink on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await backend.open();
    });

    async function rowsFor(service: string) {
      return store.db
        .select({ requestId: requestLogs.requestId, count: sql<number>`count(*)`.mapWith(Number) })
        .from(requestLogs)
        .where(sql`${requestLogs.service} = ${service}`)
        .groupBy(requestLogs.requestId);
    }

    it("stores every written record exactly once", async () => {
      const service = uniqueName("svc");
      const sink = store.createRequestLogSink({ batchSize: 100, flushIntervalMs: 50 });
      const ids = Array.from({ length: 1_234 }, (_, i) => `req-${i}`);
      for (const requestId of ids) sink.write(logRecord({ service, requestId }));
      await sink.flush();
      const rows = await rowsFor(service);
      expect(rows.map((row) => row.requestId).sort()).toEqual([...ids].sort());
      expect(rows.every((row) => row.count === 1)).toBe(true);
      expect(sink.stats()).toEqual({ queued: 0, dropped: 0, written: 1_234 });
      await sink.close();
    });

    it("writes full batches at once and partial ones on the interval", async () => {
      const service = uniqueName("svc");
      const sink = store.createRequestLogSink({ batchSize: 50, flushIntervalMs: 400 });
      for (let i = 0; i < 120; i += 1) sink.write(logRecord({ service }));
      await sleep(150);
      // Two full batches went out on size; the last 20 wait for the interval.
      expect(sink.stats().written).toBe(100);
      expect(sink.stats().queued).toBe(20);
      await sleep(600);
      expect(sink.stats()).toMatchObject({ written: 120, queued: 0 });
      expect((await rowsFor(service)).length).toBe(120);
      await sink.close();
    });

    it("close() writes everything still queued, later writes are counted as dropped", async () => {
      const service = uniqueName("svc");
      const sink = store.createRequestLogSink({ batchSize: 1_000, flushIntervalMs: 60_000 });
      for (let i = 0; i < 300; i += 1) sink.write(logRecord({ service }));
      expect(sink.stats().queued).toBe(300);
      await sink.close();
      expect((await rowsFor(service)).length).toBe(300);
      sink.write(logRecord({ service }));
      expect(sink.stats()).toMatchObject({ written: 300, dropped: 1 });
    });

    it("stores every RequestLogRecord field and repairs values PostgreSQL would refuse", async () => {
      const service = uniqueName("svc");
      const sink = store.createRequestLogSink({
        instanceId: "7f0c1d2e-1111-4222-8333-444455556666",
      });
      const cyclic: Record<string, unknown> = { n: 1n };
      cyclic.self = cyclic;
      const startedAt = new Date(Date.now() - 5_000);
      sink.write(
        logRecord({
          service,
          requestId: "full",
          callKind: "bidi",
          status: "error",
          grpcCode: 13,
          errorMessage: "bad\u0000thing",
          errorDetails: { violations: [{ field: "name", description: "required" }], big: 12n },
          durationMs: 12.5,
          userId: 7,
          apiKeyId: 9,
          authenticated: true,
          authMethod: "api-key",
          clientAddress: "10.1.2.3:5555",
          requestMessages: 4,
          responseMessages: 3,
          startedAt,
          completedAt: new Date(startedAt.getTime() + 12),
        }),
      );
      sink.write(
        logRecord({ service, requestId: "odd", durationMs: Number.NaN, errorDetails: cyclic }),
      );
      await sink.flush();
      const page = await store.requestLogs.list({ service, limit: 10 });
      const full = page.items.find((item) => item.requestId === "full");
      expect(full).toMatchObject({
        callKind: "bidi",
        status: "error",
        grpcCode: 13,
        errorMessage: "badthing",
        errorDetails: { violations: [{ field: "name", description: "required" }], big: "12" },
        durationMs: 12.5,
        userId: 7,
        apiKeyId: 9,
        authenticated: true,
        authMethod: "api-key",
        clientAddress: "10.1.2.3:5555",
        requestMessages: 4,
        responseMessages: 3,
        serverInstanceId: "7f0c1d2e-1111-4222-8333-444455556666",
        startedAt,
        completedAt: new Date(startedAt.getTime() + 12),
      });
      const odd = page.items.find((item) => item.requestId === "odd");
      expect(odd).toMatchObject({
        durationMs: 0,
        errorDetails: { unserializable: "[object Object]" },
      });
      expect(sink.stats().dropped).toBe(0);
      await sink.close();
    });

    it("stores service and method as given, whether or not they are the path's parts", async () => {
      const service = uniqueName("svc");
      const sink = store.createRequestLogSink();
      // Rows leave service/method out when the path holds them; these must survive as given.
      const cases = [
        { requestId: "split", method: "Get", path: `/${service}/Get` },
        { requestId: "other-path", method: "Get", path: "/elsewhere.v1.Other/Get" },
        { requestId: "slash", method: "a/b", path: `/${service}/a/b` },
        { requestId: "no-path", method: "Get", path: "" },
      ];
      for (const entry of cases) sink.write(logRecord({ service, ...entry }));
      await sink.flush();
      const items = (await store.requestLogs.list({ service, limit: 10 })).items;
      const stored = Object.fromEntries(
        items.map((item) => [item.requestId, [item.service, item.method, item.path]]),
      );
      expect(stored).toEqual(
        Object.fromEntries(
          cases.map((entry) => [entry.requestId, [service, entry.method, entry.path]]),
        ),
      );
      await sink.close();
    });

    it("prunes rows older than retentionDays when started with a retention policy", async () => {
      const service = uniqueName("svc");
      const writer = store.createRequestLogSink();
      writer.write(
        logRecord({ service, requestId: "old", startedAt: new Date(Date.now() - 45 * 86_400_000) }),
      );
      writer.write(
        logRecord({
          service,
          requestId: "recent",
          startedAt: new Date(Date.now() - 5 * 86_400_000),
        }),
      );
      await writer.close();
      const retaining = store.createRequestLogSink({ retentionDays: 30 });
      for (let i = 0; i < 50 && (await rowsFor(service)).length > 1; i += 1) await sleep(50);
      expect((await rowsFor(service)).map((row) => row.requestId)).toEqual(["recent"]);
      await retaining.close();
    });

    it("isolates a record the database refuses and still stores the rest of its batch", async () => {
      const service = uniqueName("svc");
      // A real refusal from the database: a CHECK constraint that one record violates.
      await store.db.execute(
        sql`alter table request_logs add constraint test_refuse_poison check (request_id <> 'poison')`,
      );
      try {
        const sink = store.createRequestLogSink({ batchSize: 100 });
        for (let i = 0; i < 10; i += 1)
          sink.write(logRecord({ service, requestId: i === 4 ? "poison" : `ok-${i}` }));
        await sink.flush();
        expect((await rowsFor(service)).length).toBe(9);
        expect(sink.stats()).toEqual({ queued: 0, dropped: 1, written: 9 });
        await sink.close();
      } finally {
        await store.db.execute(sql`alter table request_logs drop constraint test_refuse_poison`);
      }
      expect(() => store.createRequestLogSink({ instanceId: "not-a-uuid" })).toThrow(
        /must be a UUID/,
      );
    });

    it("drops the oldest records when the queue is full and counts them", async () => {
      const service = uniqueName("svc");
      // No timer flush and batches larger than the queue: nothing leaves until flush().
      const sink = store.createRequestLogSink({
        maxQueue: 100,
        batchSize: 2_000,
        flushIntervalMs: 60_000,
      });
      for (let i = 0; i < 250; i += 1) sink.write(logRecord({ service, requestId: `seq-${i}` }));
      expect(sink.stats()).toEqual({ queued: 100, dropped: 150, written: 0 });
      await sink.close();
      const stored = (await rowsFor(service))
        .map((row) => Number(row.requestId.slice(4)))
        .sort((a, b) => a - b);
      expect(stored).toEqual(Array.from({ length: 100 }, (_, i) => 150 + i));
    });
  });
}
