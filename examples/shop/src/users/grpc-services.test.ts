import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Status } from "nice-grpc";
import { shopBackends } from "../testing/shop-backends.js";
import type { ShopHarness } from "../testing/shop-harness.js";
import { collect, grpcError, streamOf, violatedFields } from "../testing/grpc-test-helpers.js";
import type { BatchCreateUsersRequest } from "../gen/shop/v1/users.js";

const backends = (await shopBackends("shop_users")).filter((backend) => backend.skip === null);

describe.each(backends)("on $name", (backend) => {
  let shop: ShopHarness;

  beforeAll(async () => {
    shop = await backend.start();
  });

  afterAll(async () => {
    await shop?.close();
  });

  describe("GetUser (public)", () => {
    it("returns a user with their profile to an anonymous caller", async () => {
      const { user } = await shop.clients().users.getUser({ userId: shop.bob.id });
      expect(user).toMatchObject({
        id: shop.bob.id,
        username: "bob",
        email: "bob@example.com",
        isActive: true,
        firstName: "Bob",
        lastName: "Okafor",
      });
      expect(user?.createdAt).toBeInstanceOf(Date);
    });

    it("answers NOT_FOUND for an unknown id", async () => {
      const error = await grpcError(() => shop.clients().users.getUser({ userId: 999_999 }));
      expect(error.code).toBe(Status.NOT_FOUND);
      expect(error.details).toContain("999999");
    });
  });

  describe("UpdateProfile (auth required)", () => {
    it("updates the caller's own profile and nobody else's", async () => {
      const { user } = await shop.clients(shop.carol.key).users.updateProfile({
        firstName: "Caroline",
        lastName: "Nguyen-Smith",
        bio: "Now with a bio.",
      });
      expect(user).toMatchObject({
        id: shop.carol.id,
        firstName: "Caroline",
        bio: "Now with a bio.",
      });
      const reread = await shop.clients().users.getUser({ userId: shop.carol.id });
      expect(reread.user?.lastName).toBe("Nguyen-Smith");
      const bob = await shop.clients().users.getUser({ userId: shop.bob.id });
      expect(bob.user?.firstName).toBe("Bob");
    });

    it("creates a profile for a user who had none", async () => {
      const dana = await shop.createAccount("dana");
      const before = await shop.clients().users.getUser({ userId: dana.id });
      expect(before.user?.firstName).toBe("");
      const { user } = await shop
        .clients(dana.key)
        .users.updateProfile({ firstName: "Dana", lastName: "Ilić", bio: "" });
      expect(user).toMatchObject({ id: dana.id, firstName: "Dana", lastName: "Ilić" });
    });

    it("refuses anonymous callers with UNAUTHENTICATED", async () => {
      const error = await grpcError(() =>
        shop.clients().users.updateProfile({ firstName: "X", lastName: "Y", bio: "" }),
      );
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });

    it("refuses a wrong key with UNAUTHENTICATED", async () => {
      const error = await grpcError(() =>
        shop
          .clients(`${shop.bob.key.slice(0, -4)}AAAA`)
          .users.updateProfile({ firstName: "X", lastName: "Y", bio: "" }),
      );
      expect(error.code).toBe(Status.UNAUTHENTICATED);
      const bob = await shop.clients().users.getUser({ userId: shop.bob.id });
      expect(bob.user?.firstName).toBe("Bob");
    });

    it("rejects an over-long bio with INVALID_ARGUMENT naming the field", async () => {
      const error = await grpcError(() =>
        shop
          .clients(shop.bob.key)
          .users.updateProfile({ firstName: "Bob", lastName: "Okafor", bio: "x".repeat(2001) }),
      );
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(error.details).toBe("Invalid profile");
      expect(violatedFields(error)).toEqual(["bio"]);
    });
  });

  describe("DeleteUser (staff only)", () => {
    it("lets staff delete a user, whose key then stops working", async () => {
      const victim = await shop.createAccount("to-delete");
      // Use the key first, so the server has it cached: deletion must evict it.
      await shop
        .clients(victim.key)
        .users.updateProfile({ firstName: "Soon", lastName: "Gone", bio: "" });
      const result = await shop.clients(shop.alice.key).users.deleteUser({ userId: victim.id });
      expect(result.success).toBe(true);
      const gone = await grpcError(() => shop.clients().users.getUser({ userId: victim.id }));
      expect(gone.code).toBe(Status.NOT_FOUND);
      const refused = await grpcError(() =>
        shop.clients(victim.key).users.updateProfile({ firstName: "", lastName: "", bio: "" }),
      );
      expect(refused.code).toBe(Status.UNAUTHENTICATED);
    });

    it("refuses a non-staff caller with PERMISSION_DENIED and deletes nothing", async () => {
      const error = await grpcError(() =>
        shop.clients(shop.bob.key).users.deleteUser({ userId: shop.carol.id }),
      );
      expect(error.code).toBe(Status.PERMISSION_DENIED);
      const carol = await shop.clients().users.getUser({ userId: shop.carol.id });
      expect(carol.user?.username).toBe("carol");
    });

    it("refuses anonymous callers with UNAUTHENTICATED", async () => {
      const error = await grpcError(() =>
        shop.clients().users.deleteUser({ userId: shop.carol.id }),
      );
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });

    it("answers NOT_FOUND for an unknown user", async () => {
      const error = await grpcError(() =>
        shop.clients(shop.alice.key).users.deleteUser({ userId: 999_999 }),
      );
      expect(error.code).toBe(Status.NOT_FOUND);
    });

    it("does not let staff delete themselves or a superuser", async () => {
      const self = await grpcError(() =>
        shop.clients(shop.alice.key).users.deleteUser({ userId: shop.alice.id }),
      );
      expect(self.code).toBe(Status.FAILED_PRECONDITION);
      const superuser = await grpcError(() =>
        shop.clients(shop.alice.key).users.deleteUser({ userId: shop.admin.id }),
      );
      expect(superuser.code).toBe(Status.PERMISSION_DENIED);
    });
  });

  describe("ListUsers (auth required, server stream)", () => {
    it("streams active users in id order", async () => {
      const inactive = await shop.createAccount("inactive-user");
      await shop.store.users.setActive(inactive.id, false);
      const items = await collect(shop.clients(shop.bob.key).users.listUsers({}));
      const ids = items.map((item) => item.user?.id ?? 0);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const names = items.map((item) => item.user?.username);
      expect(names).toEqual(expect.arrayContaining(["alice", "bob", "carol", "admin"]));
      expect(names).not.toContain("inactive-user");

      const all = await collect(
        shop.clients(shop.alice.key).users.listUsers({ includeInactive: true }),
      );
      expect(all.map((item) => item.user?.username)).toContain("inactive-user");
    });

    it("keeps inactive users to staff", async () => {
      const error = await grpcError(() =>
        collect(shop.clients(shop.bob.key).users.listUsers({ includeInactive: true })),
      );
      expect(error.code).toBe(Status.PERMISSION_DENIED);
    });

    it("refuses anonymous callers with UNAUTHENTICATED", async () => {
      const error = await grpcError(() => collect(shop.clients().users.listUsers({})));
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });
  });

  describe("BatchCreateUsers (staff only, client stream)", () => {
    const person = (username: string): BatchCreateUsersRequest => ({
      username,
      email: `${username}@example.com`,
      firstName: username.toUpperCase(),
      lastName: "Batch",
    });

    it("creates every user of the stream and returns the count", async () => {
      const result = await shop
        .clients(shop.alice.key)
        .users.batchCreateUsers(
          streamOf([person("batch-1"), person("batch-2"), person("batch-3")]),
        );
      expect(result.createdCount).toBe(3);
      const created = await shop.store.users.get("batch-2");
      const { user } = await shop.clients().users.getUser({ userId: created.id });
      expect(user).toMatchObject({ username: "batch-2", firstName: "BATCH-2", lastName: "Batch" });
    });

    it("creates nobody when a username already exists (ALREADY_EXISTS)", async () => {
      const error = await grpcError(() =>
        shop
          .clients(shop.alice.key)
          .users.batchCreateUsers(streamOf([person("fresh-1"), person("bob"), person("fresh-2")])),
      );
      expect(error.code).toBe(Status.ALREADY_EXISTS);
      expect(error.details).toContain("bob");
      expect(await shop.store.users.find("fresh-1")).toBeNull();
      expect(await shop.store.users.find("fresh-2")).toBeNull();
    });

    it("creates nobody when the stream repeats a username (ALREADY_EXISTS)", async () => {
      const error = await grpcError(() =>
        shop
          .clients(shop.alice.key)
          .users.batchCreateUsers(streamOf([person("twin"), person("other"), person("twin")])),
      );
      expect(error.code).toBe(Status.ALREADY_EXISTS);
      expect(await shop.store.users.find("twin")).toBeNull();
      expect(await shop.store.users.find("other")).toBeNull();
    });

    it("rejects malformed users with INVALID_ARGUMENT and creates nobody", async () => {
      const error = await grpcError(() =>
        shop
          .clients(shop.alice.key)
          .users.batchCreateUsers(
            streamOf([person("valid-one"), { ...person("bad name!"), email: "nope" }]),
          ),
      );
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(error)).toEqual(["requests[1].username", "requests[1].email"]);
      expect(await shop.store.users.find("valid-one")).toBeNull();
    });

    it("refuses non-staff with PERMISSION_DENIED and anonymous callers with UNAUTHENTICATED", async () => {
      const denied = await grpcError(() =>
        shop.clients(shop.bob.key).users.batchCreateUsers(streamOf([person("sneaky")])),
      );
      expect(denied.code).toBe(Status.PERMISSION_DENIED);
      const anonymous = await grpcError(() =>
        shop.clients().users.batchCreateUsers(streamOf([person("sneaky")])),
      );
      expect(anonymous.code).toBe(Status.UNAUTHENTICATED);
      expect(await shop.store.users.find("sneaky")).toBeNull();
    });
  });
});
