import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { testBackends } from "../testdata/backends.js";
import { startChild } from "../testdata/child-process.js";

const backends = await testBackends();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`server instances on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await backend.open();
    });

    it("registers, heartbeats, and marks itself stopping then stopped", async () => {
      const handle = await store.registerInstance({
        address: "0.0.0.0",
        port: 50051,
        version: "1.2.3",
        services: ["a.v1.A", "b.v1.B"],
        heartbeatMs: 60_000,
      });
      const registered = await store.instances.get(handle.id);
      expect(registered).toMatchObject({
        port: 50051,
        pid: process.pid,
        version: "1.2.3",
        services: ["a.v1.A", "b.v1.B"],
        status: "running",
        stale: false,
        stoppedAt: null,
      });
      await sleep(50);
      expect(await handle.heartbeat()).toBe(true);
      const beaten = await store.instances.get(handle.id);
      expect(beaten.lastHeartbeatAt.getTime()).toBeGreaterThan(
        registered.lastHeartbeatAt.getTime(),
      );
      await handle.markStopping();
      expect((await store.instances.get(handle.id)).status).toBe("stopping");
      await handle.markStopped();
      const stopped = await store.instances.get(handle.id);
      expect(stopped).toMatchObject({ status: "stopped", stale: false });
      expect(stopped.stoppedAt).not.toBeNull();
      expect(
        (await store.instances.list({ includeStopped: false })).some((row) => row.id === handle.id),
      ).toBe(false);
    });

    it("reports a running instance without recent heartbeats as stale", async () => {
      const silent = await store.registerInstance({ heartbeatMs: 60_000 });
      silent.stopHeartbeat();
      const alive = await store.registerInstance({ heartbeatMs: 50 });
      await sleep(400);
      const rows = await store.instances.list({ staleAfterMs: 300 });
      expect(rows.find((row) => row.id === silent.id)).toMatchObject({
        status: "running",
        stale: true,
      });
      expect(rows.find((row) => row.id === alive.id)).toMatchObject({
        status: "running",
        stale: false,
      });
      expect(rows.find((row) => row.id === silent.id)!.heartbeatAgeMs).toBeGreaterThanOrEqual(300);
      await alive.markStopped();
    });

    it("reports an instance that died while stopping as stale; a draining one stays fresh", async () => {
      const died = await store.registerInstance({ heartbeatMs: 60_000 });
      await died.markStopping();
      died.stopHeartbeat();
      const draining = await store.registerInstance({ heartbeatMs: 50 });
      await draining.markStopping();
      const stopped = await store.registerInstance({ heartbeatMs: 60_000 });
      await stopped.markStopped();
      await sleep(400);
      const rows = await store.instances.list({ staleAfterMs: 300 });
      expect(rows.find((row) => row.id === died.id)).toMatchObject({
        status: "stopping",
        stale: true,
      });
      expect(rows.find((row) => row.id === draining.id)).toMatchObject({
        status: "stopping",
        stale: false,
      });
      expect(rows.find((row) => row.id === stopped.id)).toMatchObject({
        status: "stopped",
        stale: false,
      });
      await draining.markStopped();
    });
  });
}

const postgres = backends.find((backend) => backend.name === "postgres");
describe.skipIf(!postgres || postgres.skip !== null)(
  "an instance killed with -9 (PostgreSQL)",
  () => {
    it("stays 'running' in its row but reads as stale once heartbeats stop", async () => {
      const store = await postgres!.open();
      const child = startChild("register-instance.mjs", { TEST_DATABASE_URL: postgres!.url! });
      try {
        const id = await child.nextLine();
        await sleep(300);
        expect(await store.instances.get(id, { staleAfterMs: 500 })).toMatchObject({
          status: "running",
          stale: false,
          port: 4242,
          pid: child.process.pid,
        });
        child.process.kill("SIGKILL");
        expect(await child.exited).toBe("SIGKILL");
        await sleep(800);
        expect(await store.instances.get(id, { staleAfterMs: 500 })).toMatchObject({
          status: "running",
          stale: true,
        });
      } finally {
        child.process.kill("SIGKILL");
      }
    });
  },
);

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`markExited on ${backend.name}`, () => {
    it("marks a dead process's row stopped, keeping its last heartbeat", async () => {
      const store = await backend.open();
      const dead = await store.registerInstance({ heartbeatMs: 60_000 });
      dead.stopHeartbeat();
      const before = await store.instances.get(dead.id);
      await sleep(50);
      expect(await store.instances.markExited(dead.id)).toBe(true);
      const after = await store.instances.get(dead.id);
      expect(after).toMatchObject({ status: "stopped", stale: false, exitedUncleanly: true });
      // Its last sign of life stays; stoppedAt is when it was found dead, later.
      expect(after.lastHeartbeatAt.getTime()).toBe(before.lastHeartbeatAt.getTime());
      expect(after.stoppedAt!.getTime()).toBeGreaterThan(after.lastHeartbeatAt.getTime());
      // A second report, a clean stop before the exit, or an unknown id change nothing.
      expect(await store.instances.markExited(dead.id)).toBe(false);
      const clean = await store.registerInstance({ heartbeatMs: 60_000 });
      await clean.markStopped();
      const cleanRow = await store.instances.get(clean.id);
      expect(cleanRow.exitedUncleanly).toBe(false);
      expect(await store.instances.markExited(clean.id)).toBe(false);
      expect((await store.instances.get(clean.id)).stoppedAt).toEqual(cleanRow.stoppedAt);
      expect(await store.instances.markExited("00000000-0000-4000-8000-000000000000")).toBe(false);
      await store.close();
    });
  });
}
