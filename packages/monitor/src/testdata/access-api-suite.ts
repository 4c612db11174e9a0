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
      [`/api/services/${"x".repeat(1001)}`, "name"],
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

  it("reads numbers only in plain decimal, and each parameter only once", async () => {
    const refused = async (
      path: string,
      parameter: string,
      init: { method?: string; body?: unknown } = {},
    ) => {
      const error = await body<ErrorBody>(await fx().fetch(path, init), 400);
      expect(error.error.parameter, path).toBe(parameter);
      return error.error.message;
    };
    // Number() reads all of these (0x1 is 1, 1e3 is 1000): a request for one id must not act
    // on another.
    const unplain = ["0x1", "0o3", "0b10", "1e3", "%201", "1%20", "+1", "01", "1.0", "-1", "1_0"];
    for (const id of unplain) {
      expect(await refused(`/api/api-keys/${id}`, "id")).toBe(
        'path parameter "id": must be a positive integer id (1 to 2147483647)',
      );
      await refused(`/api/api-keys/${id}/revoke`, "id", { method: "POST" });
    }
    expect((await body<{ status: string }>(await fx().fetch("/api/api-keys/1"))).status).toBe(
      "active",
    );
    await refused("/api/api-keys/2147483648", "id");
    for (const value of ["0x1", "1e3", "01", "1.0", "%2B5", "5%20"]) {
      await refused(`/api/monitor/requests?page=${value}`, "page");
      await refused(`/api/monitor/requests?page_size=${value}`, "page_size");
    }
    // Hours may be fractional, still in plain decimal, and always within the stated range.
    const hoursRange = "from 0.01 to 2160 (90 days)";
    for (const value of ["0x10", "1e3", "1e-300", "0.001", "%201", "+1", "01", ".5", "Infinity"]) {
      expect(await refused(`/api/monitor/overview?hours=${value}`, "hours")).toContain(hoursRange);
    }
    for (const value of ["0.5", "1.0", "0.01", "2160"]) {
      const overview = await body<{ window: { hours: number } }>(
        await fx().fetch(`/api/monitor/overview?hours=${value}`),
      );
      expect(overview.window.hours).toBe(Number(value));
    }
    // A repeated parameter is neither value: say what is wrong with it.
    for (const [path, parameter] of [
      ["/api/monitor/overview?hours=1&hours=2", "hours"],
      ["/api/monitor/requests?service=a&service=a", "service"],
      ["/api/monitor/requests?page_size=5&page_size=5", "page_size"],
      ["/api/api-keys?include_revoked=true&include_revoked=false", "include_revoked"],
    ] as const) {
      expect(await refused(path, parameter)).toBe(
        `query parameter "${parameter}": given more than once`,
      );
    }
    // JSON numbers: 1e20 is a whole number, out of range.
    const key = fx().ids.ciKey;
    const rotate = (graceSeconds: unknown) =>
      refused(`/api/api-keys/${key}/rotate`, "graceSeconds", {
        method: "POST",
        body: { graceSeconds },
      });
    expect(await rotate(1e20)).toBe(
      'body field "graceSeconds": is out of range (0 to 604800, i.e. at most 7 days)',
    );
    expect(await rotate(-1)).toContain("out of range");
    expect(await rotate(1.5)).toContain("must be a whole number of seconds");
    expect(await rotate("60")).toContain("must be a number of seconds");
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
