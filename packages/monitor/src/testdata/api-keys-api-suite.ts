/** Test suite: the API-key endpoints over a seeded {@link MonitorFixture}. */
import { expect, it } from "vitest";
import { body } from "./monitor-api-suite.js";
import type { MonitorFixture } from "./monitor-fixture.js";

interface Key {
  id: number;
  name: string;
  displayPrefix: string;
  masked: string;
  status: string;
  requestCount: number;
  user: { id: number; username: string; isSuperuser: boolean };
  permissions: { rotate: boolean; revoke: boolean };
  expiresAt: string | null;
}
type ErrorBody = { error: { code: string; parameter?: string } };

/** Registers the API-key tests; `fx()` returns the fixture once set up. */
export function defineApiKeysApiTests(fx: () => MonitorFixture): void {
  const create = async (payload: unknown, key?: string) =>
    body<{ key: Key; secret: string }>(
      await fx().fetch("/api/api-keys", { method: "POST", body: payload, key }),
      201,
    );
  const monitorStatus = async (key: string) =>
    (await fx().fetch("/api/monitor/health", { key })).status;

  it("lists keys masked, never with their secret or hash", async () => {
    const response = await fx().fetch("/api/api-keys");
    const text = await response.clone().text();
    const { items } = await body<{ items: Key[] }>(response);
    expect(items.map((k) => k.name)).toEqual(
      expect.arrayContaining(["admin-console", "root-console", "bob-laptop", "ci-bot"]),
    );
    for (const secret of Object.values(fx().keys)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/hash/i);
    for (const key of items) expect(key.masked).toBe(`${key.displayPrefix}••••••••`);
    const bobs = await body<{ items: Key[] }>(await fx().fetch("/api/api-keys?user=bob"));
    expect(bobs.items.map((k) => k.name).sort()).toEqual(["bob-laptop", "ci-bot"]);
    expect((await fx().fetch("/api/api-keys?user=ghost")).status).toBe(404);
  });

  it("shows one key and its usage statistics from the request log", async () => {
    const id = fx().ids.ciKey;
    const key = await body<Key>(await fx().fetch(`/api/api-keys/${id}`));
    expect(key).toMatchObject({ id, name: "ci-bot", status: "active", user: { username: "bob" } });
    const stats = await body<{
      statistics: { total: number; errors: number };
      methods: { method: string; requests: number }[];
    }>(await fx().fetch(`/api/api-keys/${id}/stats?hours=24`));
    expect(stats.statistics).toMatchObject({ total: 5, errors: 1 });
    expect(stats.methods.map((m) => [m.method, m.requests])).toEqual([
      ["GetUser", 4],
      ["Chat", 1],
    ]);
  });

  it("creates a key, returns its secret once, and the secret authenticates", async () => {
    const { key, secret } = await create(
      { name: "deployer", user: "bob", expiresInDays: 30 },
      fx().keys.superuser,
    );
    expect(secret.startsWith(key.displayPrefix)).toBe(true);
    expect(key).toMatchObject({ name: "deployer", status: "active", user: { username: "bob" } });
    expect(Date.parse(key.expiresAt!)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // Bob is not staff: the monitor recognises the key (403, not 401).
    expect(await monitorStatus(secret)).toBe(403);
    const again = await fx().fetch(`/api/api-keys/${key.id}`);
    expect(await again.text()).not.toContain(secret);
  });

  it("creates keys for the caller by default and counts their usage", async () => {
    const { key, secret } = await create({ name: "my-console" });
    expect(key.user.id).toBe(fx().ids.adminUser);
    for (let i = 0; i < 3; i++) expect(await monitorStatus(secret)).toBe(200);
    // Usage is written in batches; wait for the counter to reach the calls made.
    let count = 0;
    for (let attempt = 0; attempt < 50 && count < 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      count = (await body<Key>(await fx().fetch(`/api/api-keys/${key.id}`))).requestCount;
    }
    expect(count).toBe(3);
  });

  it("lets only a superuser issue secrets for other users; staff manage their own", async () => {
    const before = (await body<{ items: Key[] }>(await fx().fetch("/api/api-keys"))).items.length;
    // Staff creating a key for bob, or for root (a superuser), would act as them.
    for (const user of ["bob", "root"]) {
      const refused = await fx().fetch("/api/api-keys", {
        method: "POST",
        body: { name: "borrowed", user },
      });
      expect(refused.status, user).toBe(403);
      expect((await body<ErrorBody>(refused, 403)).error.code).toBe("forbidden");
    }
    // Rotating someone else's key hands out a secret too; the key is left as it was.
    const rotate = await fx().fetch(`/api/api-keys/${fx().ids.ciKey}/rotate`, { method: "POST" });
    expect(rotate.status).toBe(403);
    const ci = await body<Key>(await fx().fetch(`/api/api-keys/${fx().ids.ciKey}`));
    expect(ci.status).toBe("active");
    expect((await body<{ items: Key[] }>(await fx().fetch("/api/api-keys"))).items).toHaveLength(
      before,
    );
    // Staff naming themselves is their own key; revoking a non-superuser's key takes rights away.
    const own = await create({ name: "mine", user: fx().ids.adminUser });
    expect(own.key.user.id).toBe(fx().ids.adminUser);
    const victim = await create({ name: "bob-temp", user: "bob" }, fx().keys.superuser);
    const revoked = await fx().fetch(`/api/api-keys/${victim.key.id}/revoke`, { method: "POST" });
    expect((await body<Key>(revoked)).status).toBe("revoked");
  });

  it("lets staff revoke a superuser's key only as a superuser; keys say what the caller may do", async () => {
    const rootKey = await create({ name: "root-spare" }, fx().keys.superuser);
    expect(rootKey.key.user.isSuperuser).toBe(true);
    const path = `/api/api-keys/${rootKey.key.id}`;
    // Staff could otherwise lock out the superusers who administer them.
    const refused = await fx().fetch(`${path}/revoke`, { method: "POST" });
    expect((await body<ErrorBody>(refused, 403)).error.code).toBe("forbidden");
    expect(await monitorStatus(rootKey.secret)).toBe(200);

    const seenBy = async (key: string) => {
      const { items } = await body<{ items: Key[] }>(await fx().fetch("/api/api-keys", { key }));
      const byName = new Map(items.map((k) => [k.name, k.permissions]));
      return ["root-spare", "ci-bot", "admin-console"].map((name) => byName.get(name));
    };
    expect(await seenBy(fx().keys.admin)).toEqual([
      { rotate: false, revoke: false },
      { rotate: false, revoke: true },
      { rotate: true, revoke: true },
    ]);
    const all = { rotate: true, revoke: true };
    expect(await seenBy(fx().keys.superuser)).toEqual([all, all, all]);
    expect((await body<Key>(await fx().fetch(path))).permissions).toEqual({
      rotate: false,
      revoke: false,
    });

    const revoked = await fx().fetch(`${path}/revoke`, {
      method: "POST",
      key: fx().keys.superuser,
    });
    expect((await body<Key>(revoked)).status).toBe("revoked");
    expect(await monitorStatus(rootKey.secret)).toBe(401);
  });

  it("refuses bad create requests with 400/404 naming the field", async () => {
    const cases: [unknown, number, string][] = [
      [{ name: "" }, 400, "name"],
      [{ name: "x".repeat(101) }, 400, "name"],
      [{ name: "k", expiresInDays: -1 }, 400, "expiresInDays"],
      [{ name: "k", user: "ghost" }, 404, "user"],
      [{}, 400, "name"],
      [{ name: "k", expires_in_days: 3 }, 400, "expires_in_days"],
    ];
    for (const [payload, status, parameter] of cases) {
      const error = await body<ErrorBody>(
        await fx().fetch("/api/api-keys", { method: "POST", body: payload }),
        status,
      );
      expect(error.error.parameter, JSON.stringify(payload)).toBe(parameter);
    }
    const malformed = await fetch(`${fx().monitor.url}/api/api-keys`, {
      method: "POST",
      headers: { "x-api-key": fx().keys.admin, "content-type": "application/json" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    const huge = await fx().fetch("/api/api-keys", {
      method: "POST",
      body: { name: "x".repeat(20_000) },
    });
    expect((await body<ErrorBody>(huge, 413)).error.code).toBe("payload_too_large");
  });

  it("revokes a key: it stops working at once; revoking twice is a conflict", async () => {
    const { key, secret } = await create({ name: "short-lived" });
    expect(await monitorStatus(secret)).toBe(200);
    const revoked = await body<Key>(
      await fx().fetch(`/api/api-keys/${key.id}/revoke`, { method: "POST" }),
    );
    expect(revoked.status).toBe("revoked");
    expect(await monitorStatus(secret)).toBe(401);
    const again = await body<ErrorBody>(
      await fx().fetch(`/api/api-keys/${key.id}/revoke`, { method: "POST" }),
      409,
    );
    expect(again.error.code).toBe("conflict");
  });

  it("rotates a key: the new secret works, the old one stops", async () => {
    const { key, secret } = await create({ name: "rotating" });
    const rotated = await body<{ key: Key; secret: string; replaced: Key }>(
      await fx().fetch(`/api/api-keys/${key.id}/rotate`, { method: "POST" }),
    );
    expect(rotated.key.id).not.toBe(key.id);
    expect(rotated.key.name).toBe("rotating");
    expect(rotated.replaced.id).toBe(key.id);
    expect(rotated.secret).not.toBe(secret);
    expect(await monitorStatus(rotated.secret)).toBe(200);
    expect(await monitorStatus(secret)).toBe(401);
    const twice = await fx().fetch(`/api/api-keys/${key.id}/rotate`, { method: "POST" });
    expect(twice.status).toBe(409);
    const badGrace = await fx().fetch(`/api/api-keys/${rotated.key.id}/rotate`, {
      method: "POST",
      body: { graceSeconds: -5 },
    });
    expect((await body<ErrorBody>(badGrace, 400)).error.parameter).toBe("graceSeconds");
  });

  it("answers unknown key ids with 404", async () => {
    for (const [method, path] of [
      ["GET", "/api/api-keys/999999"],
      ["GET", "/api/api-keys/999999/stats"],
      ["POST", "/api/api-keys/999999/revoke"],
      ["POST", "/api/api-keys/999999/rotate"],
    ] as const) {
      const error = await body<ErrorBody>(await fx().fetch(path, { method }), 404);
      expect(error.error.code, path).toBe("not_found");
    }
  });
}
