import { beforeAll, describe, expect, it } from "vitest";
import { StoreError, type Store } from "../index.js";
import { expectOk } from "../testdata/auth-results.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const backends = await testBackends();
const SECRET = "dev-secret-0123456789abcdef-0123456789";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`dev secret key on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await backend.open();
    });

    it("accepts the dev secret key as a real superuser only when enabled", async () => {
      const enabled = store.createApiKeyAuthenticator({
        secretKey: { enabled: true, value: SECRET },
        nodeEnv: "development",
      });
      const identity = expectOk(await enabled.authenticate({ source: "api-key", value: SECRET }));
      expect(identity.method).toBe("secret-key");
      expect(identity.apiKey).toBeNull();
      expect(identity.user.isSuperuser).toBe(true);
      const row = await store.users.get("grpc-cfg-dev");
      expect(row).toMatchObject({ id: identity.user.id, isSuperuser: true });
      expect((await enabled.authenticate({ source: "api-key", value: `${SECRET}x` }))?.ok).toBe(
        false,
      );
      expect(await enabled.authenticate({ source: "bearer", value: SECRET })).toBeNull();

      const disabled = store.createApiKeyAuthenticator({ nodeEnv: "development" });
      expect(await disabled.authenticate({ source: "api-key", value: SECRET })).toEqual({
        ok: false,
        reason: "malformed API key (grpc-cfg keys start with gcfg_)",
      });

      const inProduction = () =>
        store.createApiKeyAuthenticator({
          secretKey: { enabled: true, value: SECRET },
          nodeEnv: "production",
        });
      expect(inProduction).toThrow(StoreError);
      expect(inProduction).toThrow(/NODE_ENV=production/);
      expect(() =>
        store.createApiKeyAuthenticator({ secretKey: { enabled: true, value: "short" } }),
      ).toThrow(/at least 32/);
      await Promise.all([enabled.close(), disabled.close()]);
    });

    /** An authenticator whose secret key acts as `username`, on `on` (default: the store). */
    function devAuthenticator(username: string, on: Store = store) {
      return on.createApiKeyAuthenticator({
        secretKey: { enabled: true, value: SECRET, username },
        nodeEnv: "development",
      });
    }

    it("refuses the secret key while its user is inactive, and accepts it once reactivated", async () => {
      const username = uniqueName("dev");
      const auth = devAuthenticator(username);
      // On PostgreSQL a second instance with its own connections must hear of it too (NOTIFY).
      const other =
        backend.name === "postgres" ? devAuthenticator(username, await backend.open()) : auth;
      const call = (on = auth) => on.authenticate({ source: "api-key", value: SECRET });
      expectOk(await call());
      expectOk(await call(other));

      await store.users.setActive(username, false);
      expect(await call()).toEqual({ ok: false, reason: "user is inactive" });
      // The refusal must not have re-activated the row (it used to be upserted as active).
      expect(await store.users.get(username)).toMatchObject({ isActive: false, isSuperuser: true });
      let remote = await call(other);
      for (let waited = 0; remote?.ok && waited < 2_000; waited += 50) {
        await sleep(50);
        remote = await call(other);
      }
      expect(remote).toEqual({ ok: false, reason: "user is inactive" });

      await store.users.setActive(username, true);
      expect(expectOk(await call()).user.isSuperuser).toBe(true);
      await Promise.all([auth.close(), other.close()]);
    });

    it("keeps a demoted user demoted: the secret key then has only what the row grants", async () => {
      const username = uniqueName("dev");
      const auth = devAuthenticator(username);
      expectOk(await auth.authenticate({ source: "api-key", value: SECRET }));
      await store.users.update(username, { isStaff: false, isSuperuser: false });
      const identity = expectOk(await auth.authenticate({ source: "api-key", value: SECRET }));
      expect(identity.user).toMatchObject({ isStaff: false, isSuperuser: false });
      expect(await store.users.get(username)).toMatchObject({ isStaff: false, isSuperuser: false });
      await auth.close();
    });

    it("does not promote an existing ordinary user of the secret key's name", async () => {
      const existing = await store.users.create({ username: uniqueName("dev") });
      await store.users.grant(existing.id, ["orders.view"]);
      const auth = devAuthenticator(existing.username);
      const identity = expectOk(await auth.authenticate({ source: "api-key", value: SECRET }));
      expect(identity.user).toMatchObject({ id: existing.id, isStaff: false, isSuperuser: false });
      expect([...identity.user.permissions]).toEqual(["orders.view"]);
      expect(await store.users.get(existing.id)).toMatchObject({
        isActive: true,
        isStaff: false,
        isSuperuser: false,
      });
      await auth.close();
    });
  });
}
