/**
 * Test suite: authentication, bad input, the OpenAPI document, /metrics and the dashboard's
 * static files, over a seeded {@link MonitorFixture}.
 */
import { expect, it } from "vitest";
import { body } from "./monitor-api-suite.js";
import type { MonitorFixture } from "./monitor-fixture.js";

type ErrorBody = { error: { code: string; message: string; parameter?: string } };
type OpenApiDoc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string }[]; security?: unknown[] }>>;
  components: { securitySchemes: Record<string, unknown> };
};

/** Every operation of the document as [method, concrete path] with ids filled in. */
function operations(doc: OpenApiDoc, fx: MonitorFixture): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      const concrete = path
        .replace("{id}", String(fx.ids.ciKey))
        .replace("{name}", "shop.v1.UserService");
      out.push([method.toUpperCase(), path, concrete]);
    }
  }
  return out;
}

/** Registers access and document tests; `fx()` returns the fixture once set up. */
export function defineAccessApiTests(fx: () => MonitorFixture): void {
  const doc = async () => body<OpenApiDoc>(await fx().fetch("/api/openapi.json"));

  it("refuses every API route without a key (401) and with a non-admin key (403)", async () => {
    const ops = operations(await doc(), fx()).filter(([, path]) => path !== "/api/health/live");
    // Not in the document but admin-only too: the document itself and the metrics.
    ops.push(["GET", "/api/openapi.json", "/api/openapi.json"], ["GET", "/metrics", "/metrics"]);
    expect(ops.length).toBe(16);
    for (const [method, path, concrete] of ops) {
      const none = await fx().fetch(concrete, { method, key: null });
      expect(none.status, `${method} ${path} without key`).toBe(401);
      expect(none.headers.get("www-authenticate")).toContain("Bearer");
      expect(((await none.json()) as ErrorBody).error.code).toBe("unauthorized");
      const plain = await fx().fetch(concrete, { method, key: fx().keys.plain });
      expect(plain.status, `${method} ${path} with bob's key`).toBe(403);
      expect(((await plain.json()) as ErrorBody).error.code).toBe("forbidden");
    }
    // None of the refused POSTs did anything.
    const ci = await body<{ status: string }>(await fx().fetch(`/api/api-keys/${fx().ids.ciKey}`));
    expect(ci.status).toBe("active");
  });

  it("refuses unknown, malformed and badly sent keys with 401", async () => {
    const unknown = "gcfg_" + "A".repeat(49);
    for (const headers of [
      { "x-api-key": unknown },
      { "x-api-key": "not-a-key" },
      { authorization: "Basic YWRtaW46YWRtaW4=" },
      { authorization: `Bearer ${fx().keys.admin}x` },
    ]) {
      const response = await fetch(`${fx().monitor.url}/api/monitor/health`, { headers });
      const text = await response.text();
      expect(response.status, JSON.stringify(headers)).toBe(401);
      // The error names the problem without echoing the credential.
      expect(text).not.toContain(fx().keys.admin);
      expect(text).not.toContain(unknown);
    }
  });

  it("accepts staff and superuser keys, in x-api-key or as a Bearer token", async () => {
    const url = `${fx().monitor.url}/api/monitor/health`;
    expect((await fetch(url, { headers: { "x-api-key": fx().keys.admin } })).status).toBe(200);
    expect(
      (await fetch(url, { headers: { authorization: `Bearer ${fx().keys.superuser}` } })).status,
    ).toBe(200);
  });

  it("answers bad parameters with 400 naming the parameter", async () => {
    const cases: [string, string][] = [
      ["/api/monitor/overview?hours=abc", "hours"],
      ["/api/monitor/overview?hours=0", "hours"],
      ["/api/monitor/overview?hours=100000", "hours"],
      ["/api/monitor/methods?hours=-1", "hours"],
      ["/api/monitor/timeline?interval=week", "interval"],
      ["/api/monitor/requests?page_size=1000", "page_size"],
      ["/api/monitor/requests?page=0", "page"],
      ["/api/monitor/requests?status=bogus", "status"],
      ["/api/monitor/requests?from=yesterday", "from"],
      ["/api/monitor/requests?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "to"],
      ["/api/monitor/requests?cursor=!!", "cursor"],
      [`/api/monitor/requests?cursor=${Buffer.from("nope").toString("base64url")}`, "cursor"],
      ["/api/monitor/requests?page=1&cursor=djE6MQ", "cursor"],
      ["/api/api-keys?include_revoked=maybe", "include_revoked"],
      ["/api/api-keys/abc", "id"],
      ["/api/api-keys/0/stats", "id"],
      ["/api/services/bad%20name", "name"],
      ["/api/monitor/requests?servce=shop.v1.UserService", "servce"],
      ["/api/monitor/timeline?hour=3", "hour"],
    ];
    for (const [path, parameter] of cases) {
      const error = await body<ErrorBody>(await fx().fetch(path), 400);
      expect(error.error.code, path).toBe("bad_request");
      expect(error.error.parameter, path).toBe(parameter);
      expect(error.error.message, path).toContain(parameter);
    }
  });

  it("answers unknown routes with a JSON 404", async () => {
    const error = await body<ErrorBody>(await fx().fetch("/api/nope"), 404);
    expect(error.error.code).toBe("not_found");
  });

  it("publishes an OpenAPI 3.1 document generated from the routes, covering every API route", async () => {
    const spec = await doc();
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual(["ApiKey", "Bearer"]);
    const documented = new Set(operations(spec, fx()).map(([m, p]) => `${m} ${p}`));
    // Every JSON route the app serves is in the document (Hono's :id is OpenAPI's {id}).
    const apiRoutes = fx()
      .routes.filter((r) => r.path.startsWith("/api/") && r.path !== "/api/openapi.json")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(new Set(apiRoutes)).toEqual(documented);
    for (const expected of [
      "GET /api/health/live",
      "GET /api/monitor/health",
      "GET /api/monitor/overview",
      "GET /api/monitor/requests",
      "GET /api/monitor/methods",
      "GET /api/monitor/timeline",
      "GET /api/services",
      "GET /api/services/{name}",
      "GET /api/servers",
      "GET /api/api-keys",
      "POST /api/api-keys",
      "GET /api/api-keys/{id}",
      "GET /api/api-keys/{id}/stats",
      "POST /api/api-keys/{id}/revoke",
      "POST /api/api-keys/{id}/rotate",
    ]) {
      expect(documented, expected).toContain(expected);
    }
    const params = spec.paths["/api/monitor/requests"]!.get!.parameters!.map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining([
        "service",
        "method",
        "status",
        "user",
        "api_key",
        "from",
        "to",
        "page",
        "page_size",
        "cursor",
      ]),
    );
    expect(spec.paths["/api/health/live"]!.get!.security).toEqual([]);
  });

  it("serves Prometheus metrics to admins", async () => {
    expect((await fx().fetch("/metrics", { key: null })).status).toBe(401);
    const response = await fx().fetch("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await response.text();
    const l = 'grpc_type="unary",grpc_service="shop.v1.UserService",grpc_method="GetUser"';
    expect(text).toContain(`grpc_server_handled_total{${l},grpc_code="OK"} 4\n`);
    expect(text).toContain(`grpc_server_handled_total{${l},grpc_code="NotFound"} 1\n`);
    expect(text).toContain(`grpc_server_handling_seconds_count{${l}} 5\n`);
    expect(text).toContain("grpc_cfg_log_queue_depth 0\n");
    expect(text).toContain("grpc_cfg_log_dropped_total 0\n");
    expect(text).toMatch(/grpc_cfg_key_cache_hits_total \d+\n/);
    expect(text).toMatch(/grpc_cfg_key_cache_misses_total [1-9]\d*\n/);
  });

  it("serves the dashboard with a strict content security policy", async () => {
    const page = await fx().fetch("/", { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/ui/app.js">');
    const script = await fx().fetch("/ui/app.js", { key: null });
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await fx().fetch("/ui/missing.js", { key: null })).status).toBe(404);
    expect((await fx().fetch("/ui/..%2F..%2Fpackage.json", { key: null })).status).toBe(404);
  });
}
