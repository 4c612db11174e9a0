// A real outage: the store talks to PostgreSQL through a TCP proxy that the test cuts.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { testBackends } from "../testdata/backends.js";
import { proxyPostgres, type TcpProxy } from "../testdata/tcp-proxy.js";
import { reconnectDelaySeconds } from "./open-postgres.js";

const postgres = (await testBackends()).find((backend) => backend.name === "postgres");

/** Milliseconds until `promise` settles, and whether it resolved. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const ok = await promise.then(
    () => true,
    () => false,
  );
  return { ms: performance.now() - started, ok };
}

describe("reconnectDelaySeconds", () => {
  it("doubles from 50 ms, with jitter, and never passes its cap", () => {
    for (let i = 0; i < 200; i += 1) {
      const first = reconnectDelaySeconds(1);
      expect(first).toBeGreaterThanOrEqual(0.025);
      expect(first).toBeLessThanOrEqual(0.05);
      const third = reconnectDelaySeconds(3);
      expect(third).toBeGreaterThanOrEqual(0.1);
      expect(third).toBeLessThanOrEqual(0.2);
      expect(reconnectDelaySeconds(50)).toBeLessThanOrEqual(1);
      expect(reconnectDelaySeconds(50, 3)).toBeGreaterThanOrEqual(1.5);
    }
  });
});

describe.skipIf(!postgres || postgres.skip !== null)("PostgreSQL pool after an outage", () => {
  let store: Store;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const proxied = await proxyPostgres(postgres!.url!);
    proxy = proxied.proxy;
    store = await postgres!.open({
      url: proxied.url,
      pool: { connectTimeoutSeconds: 2, closeTimeoutSeconds: 0.2 },
    });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  // With postgres.js's own backoff (3^failures / 100 s, shared by the pool) six seconds of
  // failed queries put the next attempt 3.6–20 s away, and the first queries after recovery
  // waited that long.
  it("fails queries quickly while the database is down and uses it again at once after", async () => {
    await store.db.execute(sql`select 1`);
    await proxy.cut();
    const during: { ms: number; ok: boolean }[] = [];
    const outageStarted = performance.now();
    while (performance.now() - outageStarted < 6_000) {
      during.push(await timed(store.db.execute(sql`select 1`)));
    }
    expect(during.every((query) => !query.ok)).toBe(true);
    expect(during.length).toBeGreaterThan(6);
    expect(Math.max(...during.map((query) => query.ms))).toBeLessThan(1_500);

    await proxy.restore();
    const after = await timed(store.db.execute(sql`select 1`));
    expect(after.ok).toBe(true);
    expect(after.ms).toBeLessThan(1_500);
  }, 20_000);
});
