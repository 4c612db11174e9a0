import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { testTempDir } from "../../../../tests/support/temp-dir.js";
import { StoreError, type Store, type UserRecord } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const backends = await testBackends();
const SECRET = "a-very-long-hs256-secret-of-at-least-32-chars";
const hmacKey = new TextEncoder().encode(SECRET);

function sign(
  payload: JWTPayload,
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
) {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setIssuedAt();
  if (options.expiresIn !== "none") jwt.setExpirationTime(options.expiresIn ?? "5m");
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(hmacKey);
}

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`JWT authenticator on ${backend.name}`, () => {
    let store: Store;
    let alice: UserRecord;

    beforeAll(async () => {
      store = await backend.open();
      alice = await store.users.create({ username: uniqueName("alice"), isStaff: true });
      await store.users.grant(alice.id, ["reports.view"]);
    });

    it("maps `sub` to a user by username or by id, with permissions", async () => {
      const auth = store.createJwtAuthenticator({
        secret: SECRET,
        issuer: "https://issuer.test",
        audience: "grpc",
      });
      const claims = { issuer: "https://issuer.test", audience: "grpc" };
      for (const sub of [alice.username, String(alice.id)]) {
        const result = await auth.authenticate({
          source: "bearer",
          value: await sign({ sub }, claims),
        });
        expect(result).toMatchObject({
          ok: true,
          identity: { method: "jwt", apiKey: null, user: { id: alice.id, isStaff: true } },
        });
        if (result?.ok) expect([...result.identity.user.permissions]).toEqual(["reports.view"]);
      }
    });

    it("uses the configured claim and lookup mode", async () => {
      const auth = store.createJwtAuthenticator({
        secret: SECRET,
        userClaim: "preferred_username",
        userLookup: "username",
      });
      const ok = await auth.authenticate({
        source: "bearer",
        value: await sign({ sub: "x", preferred_username: alice.username }),
      });
      expect(ok?.ok).toBe(true);
      const byIdRefused = await auth.authenticate({
        source: "bearer",
        value: await sign({ preferred_username: String(alice.id) }),
      });
      expect(byIdRefused).toEqual({
        ok: false,
        reason: 'token "preferred_username" does not name a known user',
      });
    });

    it("fails bad, expired and mis-addressed tokens with a reason", async () => {
      const auth = store.createJwtAuthenticator({
        secret: SECRET,
        issuer: "https://issuer.test",
        audience: "grpc",
      });
      const good = { issuer: "https://issuer.test", audience: "grpc" };
      const cases: [Promise<string> | string, string][] = [
        [sign({ sub: alice.username }, { ...good, expiresIn: "-10m" }), "token expired"],
        [
          sign({ sub: alice.username }, { ...good, issuer: "https://evil.test" }),
          'token claim "iss" is not accepted',
        ],
        [
          sign({ sub: alice.username }, { ...good, audience: "other" }),
          'token claim "aud" is not accepted',
        ],
        [
          sign({ sub: alice.username }, { ...good, expiresIn: "none" }),
          'token claim "exp" is missing',
        ],
        [sign({ sub: "nobody-here" }, good), 'token "sub" does not name a known user'],
        [sign({}, good), 'token has no usable "sub" claim'],
        ["not.a.jwt", "malformed token"],
        // The dev secret key sent as a bearer token (API keys are taken either way): say where
        // it goes.
        [
          "a-dev-secret-key-of-at-least-32-characters",
          "malformed token (not a JWT; the dev secret key goes in the x-api-key header)",
        ],
      ];
      for (const [token, reason] of cases) {
        expect(await auth.authenticate({ source: "bearer", value: await token })).toEqual({
          ok: false,
          reason,
        });
      }
      const tampered = (await sign({ sub: alice.username }, good)).replace(/.{4}$/, "AAAA");
      expect(await auth.authenticate({ source: "bearer", value: tampered })).toEqual({
        ok: false,
        reason: "token signature is invalid",
      });
    });

    it("refuses a token issued in the future, past the clock tolerance", async () => {
      const auth = store.createJwtAuthenticator({ secret: SECRET, clockToleranceSeconds: 5 });
      const now = Math.floor(Date.now() / 1000);
      const token = (iat: number) =>
        new SignJWT({ sub: alice.username })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuedAt(iat)
          .setExpirationTime(now + 3600)
          .sign(hmacKey);
      expect(await auth.authenticate({ source: "bearer", value: await token(now + 600) })).toEqual({
        ok: false,
        reason: 'token claim "iat" is not accepted (issued in the future)',
      });
      // Within the tolerance, as for `nbf` and `exp`.
      expect(
        await auth.authenticate({ source: "bearer", value: await token(now + 3) }),
      ).toMatchObject({ ok: true });
    });

    it("verifies RS256 tokens against a JWKS file", async () => {
      const { publicKey, privateKey } = await generateKeyPair("RS256");
      const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" };
      const file = join(testTempDir("gcfg-jwks-"), "jwks.json");
      writeFileSync(file, JSON.stringify({ keys: [jwk] }));
      const auth = store.createJwtAuthenticator({ jwksFile: file });
      const token = await new SignJWT({ sub: alice.username })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setExpirationTime("5m")
        .sign(privateKey);
      expect((await auth.authenticate({ source: "bearer", value: token }))?.ok).toBe(true);
      // An HS256 token signed with a guessable secret must not pass an RS256 configuration.
      expect(
        (await auth.authenticate({ source: "bearer", value: await sign({ sub: alice.username }) }))
          ?.ok,
      ).toBe(false);
    });

    it("verifies ES256 tokens against a JWKS URL", async () => {
      const { publicKey, privateKey } = await generateKeyPair("ES256");
      const jwks = JSON.stringify({
        keys: [{ ...(await exportJWK(publicKey)), kid: "remote", alg: "ES256" }],
      });
      let fetches = 0;
      const server = createServer((_request, response) => {
        fetches += 1;
        response.writeHead(200, { "content-type": "application/json" }).end(jwks);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const auth = store.createJwtAuthenticator({
          jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
          audience: "grpc",
        });
        const sign256 = (audience: string) =>
          new SignJWT({ sub: String(alice.id) })
            .setProtectedHeader({ alg: "ES256", kid: "remote" })
            .setAudience(audience)
            .setExpirationTime("5m")
            .sign(privateKey);
        expect(
          await auth.authenticate({ source: "bearer", value: await sign256("grpc") }),
        ).toMatchObject({ ok: true, identity: { user: { id: alice.id } } });
        expect(
          await auth.authenticate({ source: "bearer", value: await sign256("other") }),
        ).toEqual({ ok: false, reason: 'token claim "aud" is not accepted' });
        expect(fetches).toBe(1);
      } finally {
        server.close();
      }
    });

    // Another instance sharing the database: on PostgreSQL a second store (its own connections
    // and LISTEN); PGlite belongs to one process, so there the change comes from this store.
    const otherInstance = async () => (backend.name === "postgres" ? backend.open() : store);
    const bearer = async (sub: string | number) => ({
      source: "bearer" as const,
      value: await sign({ sub }),
    });

    it("drops a cached user within 2 s of another instance deactivating it", async () => {
      // This store has never looked up an API key: the JWT path alone must start listening.
      const other = await otherInstance();
      const bob = await other.users.create({ username: uniqueName("bob") });
      const auth = store.createJwtAuthenticator({ secret: SECRET, userCacheTtlMs: 600_000 });
      expect((await auth.authenticate(await bearer(bob.username)))?.ok).toBe(true);
      await other.users.setActive(bob.id, false);
      await expect
        .poll(async () => auth.authenticate(await bearer(bob.username)), {
          timeout: 2_000,
          interval: 50,
        })
        .toEqual({ ok: false, reason: "user is inactive" });
    });

    it("accepts a token at once when the user it names is created", async () => {
      const other = await otherInstance();
      const name = uniqueName("carol");
      const auth = store.createJwtAuthenticator({ secret: SECRET, userCacheTtlMs: 600_000 });
      expect(await auth.authenticate(await bearer(name))).toEqual({
        ok: false,
        reason: 'token "sub" does not name a known user',
      });
      await other.users.create({ username: name });
      await expect
        .poll(async () => (await auth.authenticate(await bearer(name)))?.ok, {
          timeout: 2_000,
          interval: 50,
        })
        .toBe(true);
    });

    it("reads an all-digit claim as a user id, however long", async () => {
      const auth = store.createJwtAuthenticator({ secret: SECRET });
      expect((await auth.authenticate(await bearer(String(alice.id))))?.ok).toBe(true);
      // Past PostgreSQL's integer range: no user, and no query error.
      for (const sub of ["99999999999", 99_999_999_999])
        expect(await auth.authenticate(await bearer(sub))).toEqual({
          ok: false,
          reason: 'token "sub" does not name a known user',
        });
    });

    it("returns null for API keys and non-Bearer credentials", async () => {
      const auth = store.createJwtAuthenticator({ secret: SECRET });
      expect(await auth.authenticate({ source: "bearer", value: "gcfg_abc" })).toBeNull();
      expect(
        await auth.authenticate({ source: "api-key", value: await sign({ sub: alice.username }) }),
      ).toBeNull();
    });

    it("refuses unusable configurations", () => {
      expect(() => store.createJwtAuthenticator({})).toThrow(StoreError);
      expect(() => store.createJwtAuthenticator({ secret: "short" })).toThrow(/at least 32/);
      expect(() => store.createJwtAuthenticator({ jwksFile: "/nonexistent/jwks.json" })).toThrow(
        /cannot read JWKS file/,
      );
    });

    // A JWKS fetched over plain http from another host lets anyone on the path inject a key
    // and mint tokens for any user; before, it was accepted.
    it("refuses a plain-http JWKS URL except on this host", () => {
      for (const jwksUrl of ["http://idp.example.com/jwks", "http://10.0.0.5:8080/jwks"]) {
        expect(() => store.createJwtAuthenticator({ jwksUrl })).toThrow(/must use https/);
      }
      for (const jwksUrl of [
        "https://idp.example.com/jwks",
        "http://127.0.0.1:9000/jwks",
        "http://localhost/jwks",
        "http://[::1]:9000/jwks",
      ]) {
        store.createJwtAuthenticator({ jwksUrl }).close();
      }
    });
  });
}
