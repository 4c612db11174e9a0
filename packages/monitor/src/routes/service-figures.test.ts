import { describe, expect, it } from "vitest";
import { methodsOf, type ServiceRegistry } from "./route-context.js";
import { mergeServiceFigures } from "./service-figures.js";

// A registry as `server.describe()` reports it: methods as a list, not keyed by name.
const described: ServiceRegistry = {
  services: [
    {
      fullName: "shop.v1.UserService",
      baseKind: "base",
      methods: [
        {
          name: "GetUser",
          path: "/shop.v1.UserService/GetUser",
          callKind: "unary",
          auth: "public",
          readOnly: true,
        },
        {
          name: "ListUsers",
          path: "/shop.v1.UserService/ListUsers",
          callKind: "server-stream",
          auth: "staff",
          readOnly: false,
        },
      ],
    },
  ],
};

describe("service figures", () => {
  it("reads methods from both registry shapes", () => {
    expect(methodsOf(described.services[0]!).map((m) => m.name)).toEqual(["GetUser", "ListUsers"]);
    const keyed = {
      fullName: "x.Y",
      methods: { A: { name: "A", path: "/x.Y/A", callKind: "bidi" as const } },
    };
    expect(methodsOf(keyed).map((m) => m.callKind)).toEqual(["bidi"]);
  });

  it("merges registered services with services seen only in the log", () => {
    const merged = mergeServiceFigures(described, [
      {
        service: "shop.v1.UserService",
        requests: 4,
        errors: 1,
        avgDurationMs: 2,
        p95Ms: 3,
        lastRequestAt: new Date(0),
      },
      {
        service: "old.v1.Gone",
        requests: 2,
        errors: 0,
        avgDurationMs: 1,
        p95Ms: 1,
        lastRequestAt: null,
      },
    ]);
    expect(merged.items).toEqual([
      expect.objectContaining({
        name: "old.v1.Gone",
        registered: false,
        methodCount: 0,
        requests: 2,
        errorRate: 0,
      }),
      expect.objectContaining({
        name: "shop.v1.UserService",
        registered: true,
        methodCount: 2,
        errorRate: 25,
      }),
    ]);
    const idle = mergeServiceFigures(described, []).items;
    expect(idle[0]).toMatchObject({
      requests: 0,
      errorRate: 0,
      avgDurationMs: null,
      lastRequestAt: null,
    });
  });

  it("counts, without listing, logged names no detail route can take", () => {
    const logged = (service: string, requests: number) => ({
      service,
      requests,
      errors: requests,
      avgDurationMs: 1,
      p95Ms: 1,
      lastRequestAt: null,
    });
    const merged = mergeServiceFigures(described, [
      logged("//", 2),
      logged(`/${"x".repeat(1000)}`, 3),
      logged(`/${"y".repeat(5000)}`, 4),
    ]);
    expect(merged.items.map((s) => s.name)).toEqual(["//", "shop.v1.UserService"]);
    expect(merged.unlisted).toEqual({ services: 2, requests: 7 });
  });
});
