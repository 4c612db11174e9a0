import { InMemoryAuthenticator } from "@grpc-cfg/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMonitorAppFromData } from "../app.js";
import type { MonitorData } from "../data/monitor-data.js";
import { createMetrics } from "../metrics/create-metrics.js";
import { listen, type RunningHttpServer } from "./listen.js";
import type { MetricsAuth } from "./metrics-route.js";

// /metrics never touches the database; any data call here would be a bug, so it throws.
const noData = new Proxy({} as MonitorData, {
  get: (_target, name) => () =>
    Promise.reject(new Error(`/metrics must not call data.${String(name)}`)),
});

const authenticator = new InMemoryAuthenticator([
  { key: "admin-key-0123456789", user: { id: 1, username: "ops", isStaff: true } },
  { key: "plain-key-0123456789", user: { id: 2, username: "bob" } },
]);

async function serve(metricsAuth: MetricsAuth): Promise<RunningHttpServer> {
  const metrics = createMetrics({ processMetrics: false });
  const app = createMonitorAppFromData({
    data: noData,
    authenticator,
    registry: { services: [] },
    instanceId: "test",
    metrics,
    metricsAuth,
    uiDir: null,
  });
  return listen(app, "127.0.0.1", 0);
}

describe("/metrics access modes", () => {
  const servers: Record<string, RunningHttpServer> = {};
  beforeAll(async () => {
    servers.admin = await serve("admin");
    servers.token = await serve({ bearerToken: "scrape-token-0123456789" });
    servers.none = await serve("none");
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });
  const scrape = (mode: string, headers: Record<string, string> = {}) =>
    fetch(`${servers[mode]!.url}/metrics`, { headers }).then((r) => r.status);

  it("admin (default): staff keys only", async () => {
    expect(await scrape("admin")).toBe(401);
    expect(await scrape("admin", { "x-api-key": "plain-key-0123456789" })).toBe(403);
    expect(await scrape("admin", { "x-api-key": "admin-key-0123456789" })).toBe(200);
  });

  it("bearer token: the configured token only, not admin keys", async () => {
    expect(await scrape("token")).toBe(401);
    expect(await scrape("token", { authorization: "Bearer wrong" })).toBe(401);
    expect(await scrape("token", { "x-api-key": "admin-key-0123456789" })).toBe(401);
    expect(await scrape("token", { authorization: "Bearer scrape-token-0123456789" })).toBe(200);
  });

  it("none: open", async () => {
    expect(await scrape("none")).toBe(200);
  });

  it("refuses a scrape token too short to be a secret", async () => {
    await expect(serve({ bearerToken: "short" })).rejects.toThrow(/at least 16 characters/);
  });
});
