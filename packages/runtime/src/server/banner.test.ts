import { describe, expect, it } from "vitest";
import { startBanner } from "../index.js";
import { startTestServer } from "../testdata/support/harness.js";

describe("startBanner", () => {
  it("shows the address, each service with its method counts, and what is missing", async () => {
    const t = await startTestServer();
    try {
      const text = startBanner({
        address: { host: "127.0.0.1", port: t.port },
        description: t.server.describe(),
        missing: ["shop.v1.OrderService"],
      });
      const lines = text.split("\n");
      expect(lines[0]).toBe(`grpc-cfg server listening on 127.0.0.1:${t.port} (grpc)`);
      expect(lines[1]).toBe("  3 services:");
      expect(text).toMatch(
        /testsvc\.v1\.TestService\s+13 methods \(10 unary, 1 server-stream, 1 client-stream, 1 bidi\)/,
      );
      expect(text).toMatch(/testsvc\.v1\.CatalogService\s+2 methods \(2 unary\) \[read-only\]/);
      expect(text).toMatch(/testsvc\.v1\.AccountService\s+1 method \(1 unary\) \[auth-required\]/);
      expect(text).toContain("! shop.v1.OrderService: no implementation (not served)");
      expect(text).toContain("also: grpc.health.v1.Health, grpc.reflection.v1.ServerReflection");
    } finally {
      await t.close();
    }
  });
});
