/**
 * Test suite, part of the monitoring-endpoint suite: input the database or a URL cannot
 * carry as it is. Text PostgreSQL cannot store, in every parameter the OpenAPI document
 * lists and in body fields; service names logged from malformed call paths, which the
 * listing gives and the detail route must open.
 */
import { requestLogs } from "@grpc-cfg/store";
import { inArray } from "drizzle-orm";
import { expect, it } from "vitest";
import { body } from "./monitor-api-suite.js";
import { record, type MonitorFixture } from "./monitor-fixture.js";

/** Registers the tests; `fx()` returns the fixture once set up. */
export function defineUnusualInputApiTests(fx: () => MonitorFixture): void {
  const get = async <T = Record<string, unknown>>(path: string) => body<T>(await fx().fetch(path));

  it("refuses characters the database cannot store, in every string input, with 400", async () => {
    type Doc = { paths: Record<string, Record<string, { parameters?: ParameterDoc[] }>> };
    type ParameterDoc = { name: string; in: string };
    const doc = await get<Doc>("/api/openapi.json");
    const refused = async (method: string, path: string, payload?: unknown) => {
      const response = await fx().fetch(path, { method, ...(payload ? { body: payload } : {}) });
      return body<{ error: { code: string; message: string; parameter?: string } }>(response, 400);
    };
    const concrete = (path: string, with_: Record<string, string>) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => with_[name] ?? "");
    const ok = { id: String(fx().ids.ciKey), name: "shop.v1.UserService" };
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const parameter of operation.parameters ?? []) {
          // PostgreSQL text cannot hold U+0000: it must not reach a query (it was a 500).
          const url =
            parameter.in === "path"
              ? concrete(path, { ...ok, [parameter.name]: "1%00" })
              : `${concrete(path, ok)}?${parameter.name}=shop%00x`;
          const error = await refused(method.toUpperCase(), url);
          expect(error.error.parameter, url).toBe(parameter.name);
          expect(error.error.message, url).toContain(parameter.name);
          checked.push(`${method} ${path} ${parameter.name}`);
        }
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        "get /api/monitor/requests service",
        "get /api/monitor/requests user",
        "get /api/monitor/methods service",
        "get /api/monitor/timeline service",
        "get /api/api-keys user",
        "get /api/services/{name} name",
        "get /api/api-keys/{id} id",
      ]),
    );
    // Body fields: a NUL, and an unpaired surrogate (no UTF-8 form) from a JSON escape.
    for (const [payload, parameter] of [
      [{ name: "a\u0000b" }, "name"],
      [{ name: "a\ud800b" }, "name"],
      [{ name: "k", user: "bo\u0000b" }, "user"],
      [{ name: "k", user: "\udfff" }, "user"],
    ] as const) {
      const error = await refused("POST", "/api/api-keys", payload);
      expect(error.error.parameter, JSON.stringify(payload)).toBe(parameter);
      expect(error.error.message).toContain("NUL characters or unpaired surrogates");
    }
  });

  it("lists only services the detail route shows, however their calls were addressed", async () => {
    const overlong = `/${"x".repeat(1500)}`;
    // What the runtime logs for calls to paths that are not /<service>/<method>: the whole
    // path as the service (//, /noslash, the over-long one), or a name that is no proto name.
    const oddities = [
      { service: "//", method: "", path: "//" },
      { service: "/noslash", method: "", path: "/noslash" },
      { service: 'app.v1.Foo"bar', method: "Baz", path: '/app.v1.Foo"bar/Baz' },
      { service: "shop.v1.UserService ", method: "GetUser", path: "/shop.v1.UserService /GetUser" },
      { service: overlong, method: "", path: overlong },
    ];
    const sink = fx().store.createRequestLogSink({ instanceId: fx().instanceId });
    for (const o of oddities) {
      sink.write(record({ ...o, minutesAgo: 5, status: "error", grpcCode: 12 }));
    }
    await sink.close();
    try {
      const list = await get<{
        items: { name: string; requests: number }[];
        unlisted: { services: number; requests: number };
      }>("/api/services");
      const names = list.items.map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(oddities.slice(0, 4).map((o) => o.service)));
      expect(names).not.toContain(overlong);
      expect(list.unlisted).toEqual({ services: 1, requests: 1 });
      // Every listed name opens, as the dashboard links it.
      for (const name of names) {
        const detail = await get<{ name: string }>(`/api/services/${encodeURIComponent(name)}`);
        expect(detail.name).toBe(name);
      }
      const odd = await get<{ methods: { name: string }[]; recentErrors: unknown[] }>(
        `/api/services/${encodeURIComponent('app.v1.Foo"bar')}`,
      );
      expect(odd.methods.map((m) => m.name)).toEqual(["Baz"]);
      expect(odd.recentErrors).toHaveLength(1);
      const overview = await get<{ services: { name: string }[]; unlistedServices: unknown }>(
        "/api/monitor/overview",
      );
      expect(overview.services.map((s) => s.name)).toEqual(names);
      expect(overview.unlistedServices).toEqual({ services: 1, requests: 1 });
      // The over-long name is refused by name, not looked up.
      const tooLong = await body<{ error: { parameter?: string } }>(
        await fx().fetch(`/api/services/${encodeURIComponent(overlong)}`),
        400,
      );
      expect(tooLong.error.parameter).toBe("name");
    } finally {
      await fx()
        .store.db.delete(requestLogs)
        .where(
          inArray(
            requestLogs.service,
            oddities.map((o) => o.service),
          ),
        );
    }
  });
}
