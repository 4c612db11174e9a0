import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryAuthenticator } from "@grpc-cfg/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMonitorAppFromData } from "../app.js";
import type { MonitorData } from "../data/monitor-data.js";
import { createMetrics } from "../metrics/create-metrics.js";
import { listen, type RunningHttpServer } from "./listen.js";

const ADMIN = "admin-key-0123456789";
const authenticator = new InMemoryAuthenticator([
  { key: ADMIN, user: { id: 1, username: "ops", isStaff: true } },
]);
// Only /api/servers reads data here.
const data = new Proxy({} as MonitorData, {
  get: (_target, name) =>
    name === "servers"
      ? () => Promise.resolve([])
      : () => Promise.reject(new Error(`unexpected data.${String(name)}`)),
});

let server: RunningHttpServer;
beforeAll(async () => {
  const uiDir = mkdtempSync(join(tmpdir(), "monitor-ui-"));
  writeFileSync(join(uiDir, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(uiDir, "app.js"), "console.log(1)");
  const app = createMonitorAppFromData({
    data,
    authenticator,
    registry: { services: [] },
    instanceId: "test",
    metrics: createMetrics({ processMetrics: false }),
    metricsAuth: "none",
    uiDir,
  });
  server = await listen(app, "127.0.0.1", 0);
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers });

describe("security headers", () => {
  // Before, API answers (including the one-time secret of POST /api/api-keys) had none of
  // these: cacheable by browsers and proxies, sniffable, frameable.
  it.each([
    ["an API answer", "/api/servers", { "x-api-key": ADMIN }, 200],
    ["the open health check", "/api/health/live", {}, 200],
    ["a 401", "/api/servers", {}, 401],
    ["a 404", "/api/nothing-here", { "x-api-key": ADMIN }, 404],
    ["an open /metrics", "/metrics", {}, 200],
  ])("%s is not cached, sniffed, framed or embedded", async (_label, path, headers, status) => {
    const response = await get(path, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });

  it("keeps the dashboard's own CSP and caching, and adds the frame and embed guards", async () => {
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const script = await get("/ui/app.js");
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    expect(script.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });

  it("gives no other origin the API: a preflight gets no CORS grant", async () => {
    const response = await fetch(`${server.url}/api/servers`, {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "x-api-key",
      },
    });
    expect(response.ok).toBe(false);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-headers")).toBeNull();
  });
});
