import { apiKeys } from "../schema/api-keys.js";
import { users } from "../schema/users.js";

/** Lifecycle state of a key at a given moment. */
export type ApiKeyStatus = "active" | "expired" | "revoked";

/** An API key as listed and shown: everything but the secret and its hash. */
export interface ApiKeyRecord {
  readonly id: number;
  readonly name: string;
  readonly userId: number;
  readonly username: string;
  /** Whether the key's owner is a superuser: a key that acts with every right. */
  readonly userIsSuperuser: boolean;
  /** Non-secret start of the key, e.g. `gcfg_AbC1xY9z`. */
  readonly displayPrefix: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly requestCount: number;
  readonly lastUsedAt: Date | null;
  /** The key this one replaced through rotation. */
  readonly rotatedFromId: number | null;
  /** Set on a rotated-out key: it stays valid until then. */
  readonly graceUntil: Date | null;
  readonly status: ApiKeyStatus;
}

/** Status of a key at `now`: revoked beats expired. */
export function statusAt(
  key: { readonly revokedAt: Date | null; readonly expiresAt: Date | null },
  now: Date,
): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** Columns selected for an {@link ApiKeyRecord} (joined with users). */
export const recordColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  userId: apiKeys.userId,
  username: users.username,
  userIsSuperuser: users.isSuperuser,
  displayPrefix: apiKeys.displayPrefix,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  requestCount: apiKeys.requestCount,
  lastUsedAt: apiKeys.lastUsedAt,
  rotatedFromId: apiKeys.rotatedFromId,
  graceUntil: apiKeys.graceUntil,
};

/** Checks a key name: 1–100 characters, no control characters, not only spaces. */
export function isValidKeyName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  return name.trim().length > 0 && name.length <= 100 && !/[\u0000-\u001f\u007f]/.test(name);
}
