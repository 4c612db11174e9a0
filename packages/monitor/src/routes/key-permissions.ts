import type { Identity } from "@grpc-cfg/runtime";
import { ApiError } from "../http/errors.js";
import type { ApiKeyView, StoredApiKeyView } from "../schemas/api-keys.js";

/** The owner of a key, as far as the rules below need it. */
export interface KeyOwner {
  readonly id: number;
  readonly isSuperuser: boolean;
}

/**
 * A secret acts as its key's owner, so handing one out for another user lends their rights:
 * a staff user could rotate a superuser's key and become the superuser. Issuing secrets for
 * others (creating their keys, rotating them) is a superuser's job.
 */
export function mayIssueFor(caller: Identity, ownerId: number): boolean {
  return caller.user.isSuperuser || caller.user.id === ownerId;
}

/**
 * Revoking takes rights away, so staff may revoke keys of staff and ordinary users (to cut
 * off a leaked key at once) but not a superuser's: that would let staff lock out the people
 * who administer them.
 */
export function mayRevoke(caller: Identity, owner: KeyOwner): boolean {
  return mayIssueFor(caller, owner.id) || !owner.isSuperuser;
}

/** Throws a 403 naming what the caller may not do, unless `allowed`. */
export function requirePermission(allowed: boolean, message: string): void {
  if (!allowed) throw new ApiError("forbidden", message);
}

/** The key as `caller` sees it: with what they may do with it. */
export function withPermissions(caller: Identity, key: StoredApiKeyView): ApiKeyView {
  return {
    ...key,
    permissions: { rotate: mayIssueFor(caller, key.user.id), revoke: mayRevoke(caller, key.user) },
  };
}
