/**
 * `grpc-cfg serve` (startStack, as the CLI runs it) told to stop while its PostgreSQL is
 * unreachable: a TCP proxy in front of the database is cut after some calls. The shutdown must
 * end in bounded time and say how many log records it could not write, instead of waiting for
 * the database to come back (an orchestrator would SIGKILL it meanwhile).
 */
import { startStack } from "@grpc-cfg/cli";
import { createJsonLogger } from "@grpc-cfg/runtime";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { ProductCatalogServiceDefinition } from "../../examples/shop/src/gen/shop/v1/catalog.js";
import { proxyPostgres } from "../../packages/store/src/testdata/tcp-proxy.js";
import { createTestDatabase } from "../support/postgres.js";
import { SHOP_ROOT } from "../support/shop-stack.js";

const database = await createTestDatabase("gcfg_e2e_stop_down");
afterAll(async () => {
  await database?.drop();
});

describe.skipIf(database === null)("serve stopping with PostgreSQL unreachable", () => {
  it("stops within its grace periods and reports the unwritten records", async () => {
    const { proxy, url } = await proxyPostgres(database!.url);
    const lines: string[] = [];
    const stack = await startStack({
      cwd: SHOP_ROOT,
      logger: createJsonLogger({ level: "debug", write: (line) => lines.push(line) }),
      overrides: {
        server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 500 },
        monitor: { enabled: false },
        // Records stay queued: nothing is written before the cut.
        logging: { flushIntervalMs: 60_000 },
        database: { url },
      },
    });
    const channel = createChannel(`127.0.0.1:${stack.address.port}`);
    const catalog = createClient(ProductCatalogServiceDefinition, channel);
    for (let i = 0; i < 3; i++) {
      await catalog.getProduct({ productId: 999_999 }).catch(() => undefined);
    }
    channel.close();
    await proxy.cut();

    const started = Date.now();
    const outcome = await Promise.race([
      stack.stop("test").then(() => "stopped" as const),
      new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 20_000).unref()),
    ]);
    const took = Date.now() - started;
    await proxy.close();
    expect(outcome).toBe("stopped");
    // Grace 0.5 s (no calls left), flush max(0.5 s, 1 s), the sink's last try 2 s, closing
    // the connections: well under the 10 s + 10 s the defaults allow.
    expect(took).toBeLessThan(8_000);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const unwritten = logged.find(
      (l) => l.msg === "request logs not written within the grace period; stopping anyway",
    );
    expect(unwritten).toMatchObject({ level: "error" });
    expect(Number(unwritten?.queued)).toBeGreaterThanOrEqual(3);
    expect(logged.some((l) => l.msg === "server stopped")).toBe(true);
    // The store reports in the server's log too (JSON lines), as it closes after the server.
    expect(logged.at(-1)).toMatchObject({
      msg: "request log sink closed with unwritten records",
      component: "store",
    });
  }, 40_000);
});
