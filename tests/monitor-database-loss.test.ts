/**
 * The monitor when its PostgreSQL database is dropped under it (`DROP DATABASE … WITH
 * (FORCE)`): database errors that are not connection errors must still read as "database
 * down", never as a 500.
 */
import { startMonitorServer, type RunningMonitor } from "@grpc-cfg/monitor";
import { findErrorCode, isConnectionErrorCode } from "@grpc-cfg/runtime";
import { openStore, silentLogger, type Store } from "@grpc-cfg/store";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { proxyPostgres } from "../packages/store/src/testdata/tcp-proxy.js";
import { createTestDatabase } from "./support/postgres.js";

const database = await createTestDatabase("gcfg_monitor_loss");

describe.skipIf(database === null)("monitor over a PostgreSQL database that is dropped", () => {
  let store: Store | undefined;
  let monitor: RunningMonitor | undefined;
  afterAll(async () => {
    await monitor?.close();
    await store?.close().catch(() => {});
    await database?.drop();
  });

  it("reports the database down, and answers 503 for a key it can no longer check", async () => {
    store = await openStore({ url: database!.url, logger: silentLogger });
    const ops = await store.users.create({ username: "ops", isStaff: true });
    const used = (await store.apiKeys.create({ user: ops.id, name: "used" })).key;
    const unseen = (await store.apiKeys.create({ user: ops.id, name: "unseen" })).key;
    const instance = await store.registerInstance({ services: [] });
    instance.stopHeartbeat();
    const reported: unknown[] = [];
    monitor = await startMonitorServer(
      {
        store,
        authenticator: store.createApiKeyAuthenticator({ cacheTtlMs: 60_000 }),
        registry: { services: [] },
        instanceId: instance.id,
        onError: (error) => reported.push(error),
      },
      { host: "127.0.0.1", port: 0 },
    );
    const health = async (key: string) => {
      const response = await fetch(`${monitor!.url}/api/monitor/health`, {
        headers: { "x-api-key": key },
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await health(used)).toMatchObject({ status: 200, body: { status: "ok" } });

    await database!.drop();

    // The key is cached: the check runs, and says what it is for: the database is gone.
    expect(await health(used)).toMatchObject({
      status: 200,
      body: { status: "degraded", database: { ok: false, latencyMs: null } },
    });
    // A key it has not seen needs the database to be checked: 503 saying so, not a 500.
    expect(await health(unseen)).toEqual({
      status: 503,
      body: {
        error: {
          code: "unavailable",
          message:
            "the credential cannot be checked now: the database (or, for a JWT, its key set) " +
            "is unavailable; try again shortly",
        },
      },
    });
    // The cause goes to the server log (PostgreSQL's "database … does not exist").
    expect(reported).toEqual([expect.objectContaining({ code: "3D000" })]);
  });
});

/** A monitor over `url` whose reports are kept, and a staff key it has already cached. */
async function monitorWithCachedKey(url: string) {
  const store = await openStore({ url, logger: silentLogger });
  const ops = await store.users.create({ username: `ops-${Math.random()}`, isStaff: true });
  const key = (await store.apiKeys.create({ user: ops.id, name: "dashboard" })).key;
  const reported: unknown[] = [];
  const monitor = await startMonitorServer(
    {
      store,
      authenticator: store.createApiKeyAuthenticator({ cacheTtlMs: 60_000 }),
      registry: { services: [] },
      instanceId: "standalone",
      onError: (error) => reported.push(error),
    },
    { host: "127.0.0.1", port: 0 },
  );
  const get = async (path: string) => {
    const response = await fetch(`${monitor.url}${path}`, { headers: { "x-api-key": key } });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  expect((await get("/api/monitor/health")).status).toBe(200);
  const close = async () => {
    await monitor.close();
    await store.close().catch(() => {});
  };
  return { store, get, reported, close };
}

const UNAVAILABLE = {
  status: 503,
  body: {
    error: { code: "unavailable", message: "the database is unavailable; try again shortly" },
  },
};

describe.skipIf(database === null)("monitor data routes when PostgreSQL is unavailable", () => {
  let cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups = [];
  });
  const fresh = async (prefix: string) => {
    const db = (await createTestDatabase(prefix))!;
    cleanups.push(() => db.drop());
    return db;
  };

  it("answers 503 when the database cannot be reached, and reports the connection error", async () => {
    const db = await fresh("gcfg_monitor_cut");
    const { proxy, url } = await proxyPostgres(db.url);
    cleanups.push(() => proxy.close());
    const monitor = await monitorWithCachedKey(url);
    cleanups.push(monitor.close);

    await proxy.cut();
    for (const path of ["/api/servers", "/api/monitor/overview?hours=1"]) {
      expect(await monitor.get(path)).toEqual(UNAVAILABLE);
    }
    expect(monitor.reported.length).toBeGreaterThanOrEqual(2);
    for (const error of monitor.reported) {
      expect(isConnectionErrorCode(findErrorCode(error) ?? "")).toBe(true);
    }
  });

  it("answers 503 when the database is out of connections, and reports PostgreSQL's reason", async () => {
    const db = await fresh("gcfg_monitor_full");
    const monitor = await monitorWithCachedKey(db.url);
    cleanups.push(monitor.close);
    // No new connection may open; the overview's parallel queries need more than are open.
    await monitor.store.db.execute(sql.raw(`alter database "${db.name}" connection limit 0`));

    expect(await monitor.get("/api/monitor/overview?hours=1")).toEqual(UNAVAILABLE);
    // PostgreSQL's own error, as the query's cause or (when the bounded read's transaction
    // cannot even begin) as the error itself: either way the report carries the reason.
    const reasons = monitor.reported.map((error) =>
      error instanceof Error && error.cause !== undefined ? error.cause : error,
    );
    expect(reasons).toContainEqual(
      expect.objectContaining({
        code: "53300",
        message: expect.stringContaining("too many connections"),
      }),
    );
  });
});
