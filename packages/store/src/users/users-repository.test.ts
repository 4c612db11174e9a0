import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const backends = await testBackends();

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`users on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await backend.open();
    });

    it("creates users, refuses duplicates and bad names", async () => {
      const name = uniqueName("bob");
      const bob = await store.users.create({
        username: name,
        email: "bob@example.com",
        isSuperuser: true,
      });
      expect(bob).toMatchObject({
        username: name,
        email: "bob@example.com",
        isActive: true,
        isStaff: false,
        isSuperuser: true,
        permissions: [],
      });
      await expect(store.users.create({ username: name })).rejects.toMatchObject({
        code: "already-exists",
      });
      await expect(store.users.create({ username: "has space" })).rejects.toMatchObject({
        code: "invalid-argument",
      });
      await expect(
        store.users.create({ username: uniqueName("x"), email: "not-an-email" }),
      ).rejects.toThrow(/invalid email/);
    });

    it("finds users by id, by username, and by an all-digit string as id", async () => {
      const user = await store.users.create({ username: uniqueName("carol") });
      expect((await store.users.find(user.id))?.username).toBe(user.username);
      expect((await store.users.find(String(user.id)))?.id).toBe(user.id);
      // A user named "2" would be confused with user 2, in the CLI and in JWT claims alike.
      await expect(store.users.create({ username: String(user.id + 1) })).rejects.toThrow(
        /must not be all digits/,
      );
      expect((await store.users.create({ username: `${user.id}a` })).username).toBe(`${user.id}a`);
      expect(await store.users.find("nobody-by-this-name")).toBeNull();
      await expect(store.users.get("nobody-by-this-name")).rejects.toMatchObject({
        code: "not-found",
      });
    });

    it("grants and revokes permissions idempotently and validates codenames", async () => {
      const user = await store.users.create({ username: uniqueName("dave") });
      await store.users.grant(user.id, ["orders.create", "orders.view"]);
      expect((await store.users.grant(user.username, ["orders.view", "a.b"])).permissions).toEqual([
        "a.b",
        "orders.create",
        "orders.view",
      ]);
      expect(
        (await store.users.revoke(user.id, ["orders.view", "never.granted"])).permissions,
      ).toEqual(["a.b", "orders.create"]);
      await expect(store.users.grant(user.id, ["has space"])).rejects.toThrow(
        /invalid permission "has space"/,
      );
      await expect(store.users.grant(user.id, [])).rejects.toThrow(/at least one permission/);
    });

    it("updates email and flags, leaving what is not named", async () => {
      const user = await store.users.create({
        username: uniqueName("frank"),
        email: "frank@example.com",
        isStaff: true,
        isSuperuser: true,
      });
      const demoted = await store.users.update(user.username, { isSuperuser: false });
      expect(demoted).toMatchObject({
        isStaff: true,
        isSuperuser: false,
        email: "frank@example.com",
      });
      const changed = await store.users.update(user.id, { email: null, isStaff: false });
      expect(changed).toMatchObject({ isStaff: false, isSuperuser: false, email: null });
      await expect(store.users.update(user.id, {})).rejects.toMatchObject({
        code: "invalid-argument",
      });
      await expect(store.users.update(user.id, { email: "nope" })).rejects.toThrow(/invalid email/);
      await expect(
        store.users.update("nobody-by-this-name", { isStaff: true }),
      ).rejects.toMatchObject({ code: "not-found" });
    });

    it("lists active users by default and ensures a user without re-flagging it", async () => {
      const inactive = await store.users.create({ username: uniqueName("eve") });
      await store.users.setActive(inactive.id, false);
      expect((await store.users.list()).some((user) => user.id === inactive.id)).toBe(false);
      expect(
        (await store.users.list({ includeInactive: true })).some((user) => user.id === inactive.id),
      ).toBe(true);
      const flags = { isStaff: true, isSuperuser: true };
      const dev = await store.users.ensure({ username: uniqueName("dev"), ...flags });
      expect(dev).toMatchObject({ isSuperuser: true, isStaff: true, isActive: true });
      await store.users.setActive(dev.id, false);
      // An existing row is returned as it is, never re-flagged.
      const again = await store.users.ensure({ username: dev.username, ...flags });
      expect(again).toMatchObject({ id: dev.id, isSuperuser: true, isActive: false });
    });
  });
}
