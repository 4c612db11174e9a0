import { beforeAll, describe, expect, it } from "vitest";
import { StoreError, type Store } from "../index.js";
import { expectOk } from "../testdata/auth-results.js";
import { testBackends } from "../testdata/backends.js";

const backends = await testBackends();
const SECRET = "dev-secret-0123456789abcdef-0123456789";

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
  });
}
