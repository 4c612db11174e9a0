/** shop.v1.UserService over a real server, through the nice-grpc client (a). */
import { Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { SEED_USERS } from "../../../examples/shop/src/db/seed-data.js";
import {
  collect,
  grpcError,
  streamOf,
  violatedFields,
} from "../../../examples/shop/src/testing/grpc-test-helpers.js";
import { ANONYMOUS, callerOf, rejectedKeyCaller } from "../../support/call-ledger.js";
import type { FixtureAccess } from "../../support/shop-fixture.js";

const seeded = (username: string) => SEED_USERS.find((user) => user.username === username)!;

/** Every UserService method and error case. */
export function defineUserServiceTests(fx: FixtureAccess): void {
  describe("UserService", () => {
    it("GetUser is public: an anonymous caller gets the user with their profile", async () => {
      const { shop, as } = fx();
      const { user } = await as(ANONYMOUS).users.getUser({ userId: shop.alice.id });
      const alice = seeded("alice");
      expect(user).toMatchObject({
        id: shop.alice.id,
        username: "alice",
        email: alice.email,
        isActive: true,
        firstName: alice.firstName,
        lastName: alice.lastName,
        bio: alice.bio,
      });
      expect(user?.createdAt).toBeInstanceOf(Date);
    });

    it("GetUser fails with NOT_FOUND naming an unknown id", async () => {
      const { as, shop } = fx();
      const error = await grpcError(() =>
        as(callerOf(shop.bob)).users.getUser({ userId: 987_654 }),
      );
      expect(error.code).toBe(Status.NOT_FOUND);
      expect(error.details).toContain("987654");
    });

    it("UpdateProfile refuses anonymous callers with UNAUTHENTICATED", async () => {
      const error = await grpcError(() =>
        fx().as(ANONYMOUS).users.updateProfile({ firstName: "X", lastName: "Y", bio: "" }),
      );
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });

    it("UpdateProfile changes the caller's own profile and nobody else's", async () => {
      const { as, shop } = fx();
      const change = { firstName: "Robert", lastName: "Okafor-Smith", bio: "Now on gRPC." };
      const { user } = await as(callerOf(shop.bob)).users.updateProfile(change);
      expect(user).toMatchObject({ id: shop.bob.id, username: "bob", ...change });
      const reread = await as(ANONYMOUS).users.getUser({ userId: shop.bob.id });
      expect(reread.user).toMatchObject(change);
      const carol = await as(ANONYMOUS).users.getUser({ userId: shop.carol.id });
      expect(carol.user).toMatchObject({ firstName: seeded("carol").firstName });
    });

    it("UpdateProfile rejects over-long fields with INVALID_ARGUMENT naming each", async () => {
      const { as, shop } = fx();
      const error = await grpcError(() =>
        as(callerOf(shop.carol)).users.updateProfile({
          firstName: "x".repeat(151),
          lastName: "ok",
          bio: "y".repeat(2001),
        }),
      );
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(error)).toEqual(["first_name", "bio"]);
    });

    it("DeleteUser is staff only: PERMISSION_DENIED for a customer, nothing deleted", async () => {
      const { as, shop } = fx();
      const error = await grpcError(() =>
        as(callerOf(shop.bob)).users.deleteUser({ userId: shop.carol.id }),
      );
      expect(error.code).toBe(Status.PERMISSION_DENIED);
      expect(await shop.store.users.find(shop.carol.id)).not.toBeNull();
    });

    it("DeleteUser by staff removes the user and their key; an unknown id is NOT_FOUND", async () => {
      const { as, shop } = fx();
      const doomed = await shop.createAccount("doomed_user");
      // Used once first, so the server has the key cached when its owner goes.
      const profile = { firstName: "Doomed", lastName: "User", bio: "" };
      await as(callerOf(doomed)).users.updateProfile(profile);
      const staff = as(callerOf(shop.alice)).users;
      expect(await staff.deleteUser({ userId: doomed.id })).toEqual({ success: true });
      expect(await shop.store.users.find(doomed.id)).toBeNull();
      const gone = await grpcError(() => as(ANONYMOUS).users.getUser({ userId: doomed.id }));
      expect(gone.code).toBe(Status.NOT_FOUND);
      const orphanKey = rejectedKeyCaller("deleted user's key", doomed.key);
      const refused = await grpcError(() => as(orphanKey).users.updateProfile(profile));
      expect(refused.code).toBe(Status.UNAUTHENTICATED);
      const again = await grpcError(() => staff.deleteUser({ userId: doomed.id }));
      expect(again.code).toBe(Status.NOT_FOUND);
    });

    it("ListUsers needs a key, then streams active users in id order", async () => {
      const { as, shop } = fx();
      const anonymous = await grpcError(() => collect(as(ANONYMOUS).users.listUsers({})));
      expect(anonymous.code).toBe(Status.UNAUTHENTICATED);
      const listed = await collect(as(callerOf(shop.bob)).users.listUsers({}));
      const ids = listed.map((item) => item.user!.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids).toEqual(expect.arrayContaining([shop.alice.id, shop.bob.id, shop.carol.id]));
      expect(listed.every((item) => item.user!.isActive)).toBe(true);
    });

    it("ListUsers with include_inactive is for staff only", async () => {
      const { as, shop } = fx();
      const sleeper = await shop.createAccount("inactive_user");
      await shop.store.users.setActive(sleeper.id, false);
      const denied = await grpcError(() =>
        collect(as(callerOf(shop.bob)).users.listUsers({ includeInactive: true })),
      );
      expect(denied.code).toBe(Status.PERMISSION_DENIED);
      const active = await collect(as(callerOf(shop.alice)).users.listUsers({}));
      expect(active.map((item) => item.user!.id)).not.toContain(sleeper.id);
      const all = await collect(
        as(callerOf(shop.alice)).users.listUsers({ includeInactive: true }),
      );
      expect(all.find((item) => item.user!.id === sleeper.id)?.user?.isActive).toBe(false);
    });

    it("BatchCreateUsers creates every streamed user and returns the count", async () => {
      const { as, shop } = fx();
      const names = ["batch_ana", "batch_ben", "batch_cy"];
      const response = await as(callerOf(shop.alice)).users.batchCreateUsers(
        streamOf(names.map((username) => ({ username, email: `${username}@example.com` }))),
      );
      expect(response.createdCount).toBe(3);
      for (const username of names) {
        expect(await shop.store.users.find(username)).toMatchObject({ username, isActive: true });
      }
    });

    it("BatchCreateUsers is all or nothing: a duplicate is ALREADY_EXISTS and creates nobody", async () => {
      const { as, shop } = fx();
      const staff = as(callerOf(shop.alice)).users;
      const inStream = await grpcError(() =>
        staff.batchCreateUsers(
          streamOf([{ username: "dup_one" }, { username: "dup_two" }, { username: "dup_one" }]),
        ),
      );
      expect(inStream.code).toBe(Status.ALREADY_EXISTS);
      const stored = await grpcError(() =>
        staff.batchCreateUsers(streamOf([{ username: "dup_three" }, { username: "bob" }])),
      );
      expect(stored.code).toBe(Status.ALREADY_EXISTS);
      expect(stored.details).toContain("bob");
      for (const username of ["dup_one", "dup_two", "dup_three"]) {
        expect(await shop.store.users.find(username)).toBeNull();
      }
    });

    it("BatchCreateUsers is staff only", async () => {
      const { as, shop } = fx();
      const error = await grpcError(() =>
        as(callerOf(shop.bob)).users.batchCreateUsers(streamOf([{ username: "sneaky" }])),
      );
      expect(error.code).toBe(Status.PERMISSION_DENIED);
      expect(await shop.store.users.find("sneaky")).toBeNull();
    });
  });
}
