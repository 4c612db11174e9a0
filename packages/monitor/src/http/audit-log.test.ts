import { IN_MEMORY, openStore, silentLogger, type Store } from "@grpc-cfg/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMonitorServer, type RunningMonitor } from "../monitor.js";
import type { MonitorAuditEvent } from "./audit-log.js";

let store: Store;
let monitor: RunningMonitor;
let rootKey: string;
let staffKey: string;
const events: MonitorAuditEvent[] = [];

beforeAll(async () => {
  store = await openStore({ logger: silentLogger, dataDir: IN_MEMORY });
  const root = await store.users.create({ username: "root", isSuperuser: true });
  const staff = await store.users.create({ username: "ops", isStaff: true });
  await store.users.create({ username: "ada" });
  rootKey = (await store.apiKeys.create({ user: root.id, name: "console" })).key;
  staffKey = (await store.apiKeys.create({ user: staff.id, name: "console" })).key;
  const authenticator = store.createApiKeyAuthenticator();
  monitor = await startMonitorServer(
    {
      store,
      authenticator,
      registry: { services: [] },
      instanceId: "test",
      uiDir: null,
      onAudit: (event) => events.push(event),
    },
    { host: "127.0.0.1", port: 0 },
  );
}, 60_000);
afterAll(async () => {
  await monitor.close();
  await store.close();
});

function post(path: string, key: string | null, body?: unknown): Promise<Response> {
  return fetch(`${monitor.url}${path}`, {
    method: "POST",
    headers: {
      ...(key ? { "x-api-key": key } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("audit of changes made through the monitor", () => {
  // Before, creating a key for another user, revoking or rotating one left no trace of who
  // did it: the key rows name the owner only.
  it("reports who created, rotated and revoked which key, and never the secret", async () => {
    events.length = 0;
    const created = await post("/api/api-keys", rootKey, { name: "ci", user: "ada" });
    expect(created.status).toBe(201);
    const { key, secret } = (await created.json()) as { key: { id: number }; secret: string };
    const rotated = await post(`/api/api-keys/${key.id}/rotate`, rootKey, {});
    const { key: replacement } = (await rotated.json()) as { key: { id: number } };
    expect((await post(`/api/api-keys/${replacement.id}/revoke`, rootKey)).status).toBe(200);

    expect(events.map((e) => [e.path, e.status, e.user?.username, e.key])).toEqual([
      ["/api/api-keys", 201, "root", { id: key.id, owner: "ada" }],
      [`/api/api-keys/${key.id}/rotate`, 200, "root", { id: replacement.id, owner: "ada" }],
      [`/api/api-keys/${replacement.id}/revoke`, 200, "root", { id: replacement.id, owner: "ada" }],
    ]);
    expect(events[0]).toMatchObject({ method: "POST", clientAddress: "127.0.0.1" });
    expect(events[0]!.apiKeyId).toEqual(expect.any(Number));
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it("reports refused attempts, with the caller when known", async () => {
    events.length = 0;
    expect((await post("/api/api-keys", null, { name: "x" })).status).toBe(401);
    expect((await post("/api/api-keys", staffKey, { name: "x", user: "ada" })).status).toBe(403);
    expect(events.map((e) => [e.status, e.user?.username ?? null, e.key])).toEqual([
      [401, null, null],
      [403, "ops", null],
    ]);
  });

  it("does not report reads", async () => {
    events.length = 0;
    const response = await fetch(`${monitor.url}/api/api-keys`, {
      headers: { "x-api-key": rootKey },
    });
    expect(response.status).toBe(200);
    expect(events).toEqual([]);
  });
});
