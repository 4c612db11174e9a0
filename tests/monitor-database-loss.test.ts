/**
 * The monitor when its PostgreSQL database is dropped under it (`DROP DATABASE … WITH
 * (FORCE)`): database errors that are not connection errors must still read as "database
 * down", never as a 500.
 */
import { startMonitorServer, type RunningMonitor } from "@grpc-cfg/monitor";
import { openStore, silentLogger, type Store } from "@grpc-cfg/store";
import { afterAll, describe, expect, it } from "vitest";
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
