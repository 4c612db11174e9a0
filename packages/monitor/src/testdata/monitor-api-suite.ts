/**
 * Test suite: the monitoring endpoints (health, overview, requests, methods, timeline,
 * services, servers) over a seeded {@link MonitorFixture}. Shared by the PGlite test in this
 * package and the PostgreSQL test in tests/.
 */
import { expect, it } from "vitest";
import type { MonitorFixture } from "./monitor-fixture.js";
import { defineUnusualInputApiTests } from "./unusual-input-api-suite.js";

/** Parses a JSON response after checking its status. */
export async function body<T = Record<string, unknown>>(
  response: Response,
  status = 200,
): Promise<T> {
  const text = await response.text();
  expect(response.status, `${response.url} → ${text.slice(0, 300)}`).toBe(status);
  return JSON.parse(text) as T;
}

interface RequestItem {
  id: number;
  service: string;
  method: string;
  status: string;
  grpcCodeName: string;
  errorMessage: string | null;
  user: { id: number; username: string } | null;
  apiKey: { id: number; name: string } | null;
  startedAt: string;
}
interface RequestsPage {
  items: RequestItem[];
  total: number | null;
  page: number | null;
  nextCursor: string | null;
}

/** Registers the monitoring-endpoint tests; `fx()` returns the fixture once set up. */
export function defineMonitorApiTests(fx: () => MonitorFixture): void {
  const get = async <T = Record<string, unknown>>(path: string) => body<T>(await fx().fetch(path));
  const total = async (query: string) =>
    (await get<RequestsPage>(`/api/monitor/requests?${query}`)).total;

  it("answers the liveness probe without a key", async () => {
    expect(await body(await fx().fetch("/api/health/live", { key: null }))).toEqual({
      status: "ok",
    });
  });

  it("reports health: database reachable, this instance, log sink figures", async () => {
    const health = await get<{
      status: string;
      instanceId: string;
      database: { ok: boolean; latencyMs: number };
      logSink: { written: number; queued: number };
      services: number;
    }>("/api/monitor/health");
    expect(health.status).toBe("ok");
    expect(health.instanceId).toBe(fx().instanceId);
    expect(health.database.ok).toBe(true);
    expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.logSink.written).toBe(fx().records.length);
    expect(health.logSink.queued).toBe(0);
    expect(health.services).toBe(2);
  });

  it("gives an overview: statistics, server instances and per-service figures", async () => {
    const o = await get<{
      window: { hours: number };
      statistics: Record<string, number>;
      instance: { id: string; current: boolean };
      servers: { id: string }[];
      services: {
        name: string;
        requests: number;
        errors: number;
        registered: boolean;
        methodCount: number;
      }[];
    }>("/api/monitor/overview?hours=24");
    expect(o.window.hours).toBe(24);
    // 24 h: 5 GetUser (1 NotFound), 2 ListUsers, 1 cancelled Chat; the 2-day-old order is out.
    expect(o.statistics).toMatchObject({ total: 8, successful: 6, errors: 2, successRate: 75 });
    expect(o.instance).toMatchObject({ id: fx().instanceId, current: true });
    expect(o.servers.map((s) => s.id)).toEqual(
      expect.arrayContaining([fx().instanceId, fx().staleInstanceId, fx().stoppedInstanceId]),
    );
    expect(o.services).toEqual([
      expect.objectContaining({
        name: "shop.v1.ChatService",
        requests: 1,
        errors: 1,
        registered: true,
        methodCount: 1,
      }),
      expect.objectContaining({
        name: "shop.v1.UserService",
        requests: 7,
        errors: 1,
        registered: true,
        methodCount: 3,
      }),
    ]);
    const wider = await get<{
      services: { name: string; registered: boolean; requests: number }[];
    }>("/api/monitor/overview?hours=72");
    expect(wider.services).toContainEqual(
      expect.objectContaining({ name: "shop.v1.OrderService", registered: false, requests: 1 }),
    );
  });

  it("lists requests newest first with user and API key names", async () => {
    const page = await get<RequestsPage>("/api/monitor/requests");
    expect(page.total).toBe(9);
    expect(page.items).toHaveLength(9);
    const starts = page.items.map((i) => Date.parse(i.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    const first = page.items[0]!;
    expect(first).toMatchObject({
      service: "shop.v1.UserService",
      method: "GetUser",
      status: "success",
    });
    expect(first.user).toEqual({ id: fx().ids.plainUser, username: "bob" });
    expect(first.apiKey).toMatchObject({ id: fx().ids.ciKey, name: "ci-bot" });
    const failed = page.items.find((i) => i.status === "error")!;
    expect(failed).toMatchObject({
      grpcCodeName: "NotFound",
      errorMessage: "user 42 not found",
      user: null,
    });
  });

  it("filters requests by service, method, status, user, API key and time", async () => {
    const { plainUser, ciKey } = fx().ids;
    const cutoff = new Date(Date.now() - 20 * 60_000).toISOString();
    expect(await total("service=shop.v1.UserService")).toBe(7);
    expect(await total("service=shop.v1.UserService&method=GetUser")).toBe(5);
    expect(await total("status=error")).toBe(1);
    expect(await total("status=cancelled")).toBe(1);
    expect(await total("user=bob")).toBe(5);
    expect(await total(`user=${plainUser}`)).toBe(5);
    expect(await total("api_key=ci-bot")).toBe(5);
    expect(await total(`api_key=${ciKey}`)).toBe(5);
    expect(await total("user=nobody")).toBe(0);
    expect(await total(`from=${encodeURIComponent(cutoff)}`)).toBe(5);
    expect(await total(`to=${encodeURIComponent(cutoff)}`)).toBe(4);
    expect(await total(`user=bob&status=cancelled&service=shop.v1.ChatService`)).toBe(1);
  });

  it("pages by page/page_size and by cursor without losing or repeating rows", async () => {
    const all = (await get<RequestsPage>("/api/monitor/requests?page_size=50")).items.map(
      (i) => i.id,
    );
    const p1 = await get<RequestsPage>("/api/monitor/requests?page_size=4");
    const p3 = await get<RequestsPage>("/api/monitor/requests?page_size=4&page=3");
    expect(p1).toMatchObject({ total: 9, page: 1 });
    expect(p1.items.map((i) => i.id)).toEqual(all.slice(0, 4));
    expect(p3.items.map((i) => i.id)).toEqual(all.slice(8));
    expect(p3.nextCursor).toBeNull();

    const walked: number[] = [];
    let page = p1;
    walked.push(...page.items.map((i) => i.id));
    while (page.nextCursor) {
      page = await get<RequestsPage>(`/api/monitor/requests?page_size=4&cursor=${page.nextCursor}`);
      expect(page.total).toBeNull();
      walked.push(...page.items.map((i) => i.id));
    }
    expect(walked).toEqual(all);
  });

  it("reports per-method counts, error rates and latency percentiles", async () => {
    const { items } = await get<{ items: Record<string, unknown>[] }>(
      "/api/monitor/methods?hours=24",
    );
    const getUser = items.find((m) => m.method === "GetUser");
    // Durations 10, 20, 30, 40, 50 ms; percentile_cont interpolates.
    expect(getUser).toMatchObject({
      service: "shop.v1.UserService",
      requests: 5,
      errors: 1,
      errorRate: 20,
    });
    expect(getUser).toMatchObject({ avgDurationMs: 30, p50Ms: 30, p95Ms: 48, p99Ms: 49.6 });
    expect(items.find((m) => m.method === "Chat")).toMatchObject({
      requests: 1,
      errors: 1,
      errorRate: 100,
    });
    const chatOnly = await get<{ items: { method: string }[] }>(
      "/api/monitor/methods?service=shop.v1.ChatService",
    );
    expect(chatOnly.items.map((m) => m.method)).toEqual(["Chat"]);
  });

  it("builds a timeline with every bucket of the window", async () => {
    type Timeline = {
      interval: string;
      buckets: { start: string; requests: number; errors: number }[];
    };
    const hourly = await get<Timeline>("/api/monitor/timeline?hours=3&interval=hour");
    expect(hourly.interval).toBe("hour");
    expect(hourly.buckets.length).toBeGreaterThanOrEqual(3);
    expect(hourly.buckets.length).toBeLessThanOrEqual(4);
    expect(hourly.buckets.reduce((n, b) => n + b.requests, 0)).toBe(8);
    expect(hourly.buckets.reduce((n, b) => n + b.errors, 0)).toBe(2);
    for (const b of hourly.buckets) expect(new Date(b.start).getUTCMinutes()).toBe(0);
    const daily = await get<Timeline>("/api/monitor/timeline?hours=72&interval=day");
    expect(daily.buckets.reduce((n, b) => n + b.requests, 0)).toBe(9);
  });

  it("lists services and shows one with methods, call kinds and recent errors", async () => {
    const list = await get<{ items: { name: string }[] }>("/api/services");
    expect(list.items.map((s) => s.name)).toEqual(["shop.v1.ChatService", "shop.v1.UserService"]);
    const detail = await get<{
      registered: boolean;
      protoFile: string;
      methods: {
        name: string;
        callKind: string;
        staffOnly: boolean;
        figures: { requests: number } | null;
      }[];
      recentErrors: RequestItem[];
    }>("/api/services/shop.v1.UserService");
    expect(detail.registered).toBe(true);
    expect(detail.protoFile).toBe("shop/v1/user.proto");
    expect(detail.methods.map((m) => [m.name, m.callKind])).toEqual([
      ["GetUser", "unary"],
      ["ListUsers", "server-stream"],
      ["DeleteUser", "unary"],
    ]);
    expect(detail.methods[2]).toMatchObject({ staffOnly: true, figures: null });
    expect(detail.methods[0]!.figures).toMatchObject({ requests: 5 });
    expect(detail.recentErrors.map((e) => e.errorMessage)).toEqual(["user 42 not found"]);
    // Known only from the log (another instance, or since removed): still shown.
    const order = await get<{ registered: boolean }>("/api/services/shop.v1.OrderService?hours=72");
    expect(order.registered).toBe(false);
    const missing = await body<{ error: { code: string; message: string } }>(
      await fx().fetch("/api/services/shop.v1.NoSuchService"),
      404,
    );
    expect(missing.error.code).toBe("not_found");
    expect(missing.error.message).toContain("shop.v1.NoSuchService");
  });

  it("lists server instances as running, stopped and stale", async () => {
    const { items } = await get<{
      items: {
        id: string;
        status: string;
        current: boolean;
        pid: number;
        address: string | null;
        uptimeSeconds: number;
      }[];
    }>("/api/servers");
    const byId = new Map(items.map((s) => [s.id, s]));
    expect(byId.get(fx().instanceId)).toMatchObject({
      status: "running",
      current: true,
      pid: process.pid,
      address: "127.0.0.1:50051",
    });
    expect(byId.get(fx().stoppedInstanceId)).toMatchObject({ status: "stopped", current: false });
    expect(byId.get(fx().staleInstanceId)).toMatchObject({ status: "stale", current: false });
    expect(byId.get(fx().instanceId)!.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it("treats SQL in filters as plain values", async () => {
    expect(await total(`service=${encodeURIComponent("shop.v1.UserService' OR '1'='1")}`)).toBe(0);
    expect(await total(`user=${encodeURIComponent("bob'; DROP TABLE request_logs; --")}`)).toBe(0);
    expect(await total(`api_key=${encodeURIComponent("1 OR 1=1")}`)).toBe(0);
    expect(await total(`method=${encodeURIComponent('GetUser") OR true; --')}`)).toBe(0);
    expect(await total("")).toBe(9);
  });

  // Inputs the database or a URL cannot carry as they are: their own file, same suite.
  defineUnusualInputApiTests(fx);
}
