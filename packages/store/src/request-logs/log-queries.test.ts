import type { RequestLogRecord, RequestStatus } from "@grpc-cfg/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import { StoreError, type Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { logRecord, percentileCont } from "../testdata/log-records.js";

const backends = await testBackends();
const HOUR = 3_600_000;

/** Writes records through a real sink and waits until they are stored. */
async function store_(store: Store, records: RequestLogRecord[]): Promise<void> {
  const sink = store.createRequestLogSink({ batchSize: 500 });
  for (const record of records) sink.write(record);
  await sink.close();
}

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`request log queries on ${backend.name}`, () => {
    let store: Store;
    const service = uniqueName("stats.v1.Svc");
    const now = Date.now();
    // Get: 20 calls, durations 5..100; statuses chosen per index. List: 50 calls, spread durations.
    const getDurations = Array.from({ length: 20 }, (_, i) => (i + 1) * 5);
    const getStatuses: RequestStatus[] = getDurations.map((_, i) =>
      i < 15 ? "success" : i < 18 ? "error" : i === 18 ? "cancelled" : "timeout",
    );
    const listDurations = Array.from({ length: 50 }, (_, i) =>
      Math.round(((i * 37) % 50) * 3.3 + 1),
    );

    beforeAll(async () => {
      store = await backend.open();
      await store_(store, [
        ...getDurations.map((durationMs, i) =>
          logRecord({
            service,
            method: "Get",
            durationMs,
            status: getStatuses[i],
            startedAt: new Date(now - 10 * 60_000),
          }),
        ),
        ...listDurations.map((durationMs) =>
          logRecord({
            service,
            method: "List",
            durationMs,
            startedAt: new Date(now - 2 * HOUR - 60_000),
          }),
        ),
      ]);
    });

    it("computes totals, success rate, average and percentiles in SQL", async () => {
      const all = [...getDurations, ...listDurations];
      const stats = await store.requestLogs.statistics({ service, hours: 24 });
      expect(stats).toMatchObject({
        total: 70,
        successful: 65,
        errors: 3,
        cancelled: 1,
        timeouts: 1,
      });
      expect(stats.successRate).toBeCloseTo((65 / 70) * 100, 2);
      expect(stats.avgDurationMs).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 6);
      expect(stats.p50DurationMs).toBeCloseTo(percentileCont(all, 0.5), 6);
      expect(stats.p95DurationMs).toBeCloseTo(percentileCont(all, 0.95), 6);
      expect(stats.p99DurationMs).toBeCloseTo(percentileCont(all, 0.99), 6);
      expect(stats.maxDurationMs).toBe(Math.max(...all));
    });

    it("respects the time window", async () => {
      const lastHour = await store.requestLogs.statistics({ service, hours: 1 });
      expect(lastHour.total).toBe(20);
      expect(lastHour.p95DurationMs).toBeCloseTo(percentileCont(getDurations, 0.95), 6);
      const empty = await store.requestLogs.statistics({
        service,
        since: new Date(now + HOUR),
        until: new Date(now + 2 * HOUR),
      });
      expect(empty).toMatchObject({
        total: 0,
        successRate: null,
        avgDurationMs: null,
        p50DurationMs: null,
      });
    });

    it("breaks figures down per method and per service", async () => {
      const methods = await store.requestLogs.methodStatistics({ service });
      expect(methods.map((row) => [row.method, row.total])).toEqual([
        ["List", 50],
        ["Get", 20],
      ]);
      const get = methods[1]!;
      expect(get.successRate).toBe(75);
      expect(get.p50DurationMs).toBeCloseTo(percentileCont(getDurations, 0.5), 6);
      expect(get.p99DurationMs).toBeCloseTo(percentileCont(getDurations, 0.99), 6);
      expect(methods[0]!.p95DurationMs).toBeCloseTo(percentileCont(listDurations, 0.95), 6);
      const services = await store.requestLogs.serviceStatistics({ service });
      expect(services).toHaveLength(1);
      expect(services[0]).toMatchObject({ service, total: 70, methods: 2 });
      expect(services[0]!.lastRequestAt?.getTime()).toBeCloseTo(now - 10 * 60_000, -2);
    });

    it("builds an hourly timeline with every bucket present", async () => {
      const points = await store.requestLogs.timeline({ service, hours: 4, until: new Date(now) });
      const firstBucket = Math.floor((now - 4 * HOUR) / HOUR) * HOUR;
      const lastBucket = Math.floor((now - 1) / HOUR) * HOUR;
      expect(points.map((point) => point.start.getTime())).toEqual(
        Array.from(
          { length: (lastBucket - firstBucket) / HOUR + 1 },
          (_, i) => firstBucket + i * HOUR,
        ),
      );
      const expected = new Map<number, number>();
      for (const at of [
        ...getDurations.map(() => now - 10 * 60_000),
        ...listDurations.map(() => now - 2 * HOUR - 60_000),
      ]) {
        const bucket = Math.floor(at / HOUR) * HOUR;
        expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
      }
      for (const point of points)
        expect(point.total, point.start.toISOString()).toBe(
          expected.get(point.start.getTime()) ?? 0,
        );
      expect(
        points.filter((point) => point.total === 0).every((point) => point.avgDurationMs === null),
      ).toBe(true);
    });

    it("builds a daily timeline", async () => {
      const daily = uniqueName("daily.v1.Svc");
      await store_(store, [
        logRecord({ service: daily, startedAt: new Date(now - 2 * 24 * HOUR) }),
        logRecord({ service: daily, startedAt: new Date(now - 2 * 24 * HOUR) }),
        logRecord({ service: daily, startedAt: new Date(now - 60_000) }),
      ]);
      const points = await store.requestLogs.timeline({
        service: daily,
        bucket: "day",
        hours: 24 * 4,
        until: new Date(now),
      });
      expect(points.length).toBeGreaterThanOrEqual(4);
      expect(points.every((point) => point.start.getUTCHours() === 0)).toBe(true);
      expect(points.map((point) => point.total).reduce((a, b) => a + b, 0)).toBe(3);
      expect(points.find((point) => point.total === 2)?.start.getTime()).toBe(
        Math.floor((now - 2 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR,
      );
    });

    it("lists with filters, joins user and key names, and pages", async () => {
      const listed = uniqueName("list.v1.Svc");
      const user = await store.users.create({ username: uniqueName("logger") });
      const { record: key } = await store.apiKeys.create({ user: user.id, name: "logging key" });
      await store_(store, [
        ...Array.from({ length: 7 }, (_, i) =>
          logRecord({
            service: listed,
            requestId: `ok-${i}`,
            userId: user.id,
            apiKeyId: key.id,
            startedAt: new Date(now - i * 1000),
          }),
        ),
        logRecord({
          service: listed,
          requestId: "failed",
          status: "error",
          grpcCode: 5,
          startedAt: new Date(now - 100_000),
        }),
      ]);
      const first = await store.requestLogs.list({ service: listed, limit: 3 });
      expect(first.items.map((item) => item.requestId)).toEqual(["ok-0", "ok-1", "ok-2"]);
      expect(first.hasMore).toBe(true);
      expect(first.items[0]).toMatchObject({
        username: user.username,
        apiKeyName: "logging key",
        apiKeyPrefix: key.displayPrefix,
      });
      const last = await store.requestLogs.list({ service: listed, limit: 3, offset: 6 });
      expect(last.items.map((item) => item.requestId)).toEqual(["ok-6", "failed"]);
      expect(last.hasMore).toBe(false);
      expect(
        (await store.requestLogs.list({ service: listed, status: "error" })).items.map(
          (item) => item.requestId,
        ),
      ).toEqual(["failed"]);
      expect(
        (await store.requestLogs.list({ service: listed, userId: user.id })).items,
      ).toHaveLength(7);
      expect(
        (await store.requestLogs.list({ service: listed, apiKeyId: key.id, limit: 100 })).items,
      ).toHaveLength(7);
      expect(await store.requestLogs.count({ service: listed })).toBe(8);
      const after = first.items[2]!.id;
      const newer = await store.requestLogs.list({ service: listed, afterId: after });
      expect(newer.items.every((item) => item.id > after)).toBe(true);
      expect(newer.items.map((item) => item.id)).toEqual(
        [...newer.items.map((item) => item.id)].sort((a, b) => a - b),
      );
      expect((await store.requestLogs.get(after))?.requestId).toBe("ok-2");
    });

    it("treats filter values as data, never as SQL", async () => {
      const hostile = ["x' or '1'='1", "'; drop table request_logs; --", `${service}' --`];
      for (const value of hostile) {
        expect((await store.requestLogs.list({ service: value })).items).toEqual([]);
        expect((await store.requestLogs.statistics({ method: value })).total).toBe(0);
      }
      expect((await store.requestLogs.statistics({ service })).total).toBe(70);
    });

    it("refuses bad filters with a clear error", async () => {
      await expect(store.requestLogs.list({ status: "bogus" as RequestStatus })).rejects.toThrow(
        /unknown status "bogus"/,
      );
      await expect(store.requestLogs.list({ limit: 0 })).rejects.toThrow(/limit must be/);
      await expect(store.requestLogs.statistics({ hours: -1 })).rejects.toThrow(StoreError);
      await expect(store.requestLogs.timeline({ bucket: "week" as "day" })).rejects.toThrow(
        /bucket/,
      );
      await expect(store.requestLogs.prune({})).rejects.toThrow(/olderThanDays/);
    });

    it("prunes calls older than N days", async () => {
      const old = uniqueName("old.v1.Svc");
      await store_(store, [
        logRecord({ service: old, startedAt: new Date(now - 40 * 24 * HOUR) }),
        logRecord({ service: old, startedAt: new Date(now - 31 * 24 * HOUR) }),
        logRecord({ service: old, startedAt: new Date(now - 10 * 24 * HOUR) }),
      ]);
      expect(await store.requestLogs.prune({ olderThanDays: 30 })).toBe(2);
      expect(await store.requestLogs.count({ service: old })).toBe(1);
    });
  });
}
