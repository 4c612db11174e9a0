import { z } from "@hono/zod-openapi";
import {
  nullableTimestamp,
  StatisticsSchema,
  timestamp,
  UserRefSchema,
  WindowSchema,
} from "./common.js";
import { MethodFiguresSchema } from "./monitor.js";
import { MAX_GRACE_SECONDS } from "./limits.js";
import { hoursParam, text } from "./params.js";

/** The user a key acts as; a superuser's key carries every right. */
export const KeyOwnerSchema = UserRefSchema.extend({ isSuperuser: z.boolean() }).openapi(
  "KeyOwner",
);

/**
 * What the caller may do with a key, given who owns it (whether the key's status allows it
 * is separate): only a superuser rotates another user's key, since the new secret would act
 * as that user, and only a superuser revokes another superuser's key.
 */
export const KeyPermissionsSchema = z
  .object({ rotate: z.boolean(), revoke: z.boolean() })
  .openapi("KeyPermissions");

/** An API key without its secret: only the display prefix is ever shown again. */
export const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    displayPrefix: z.string(),
    masked: z.string().openapi({ example: "gcfg_AbC1••••••••" }),
    user: KeyOwnerSchema,
    permissions: KeyPermissionsSchema,
    status: z.enum(["active", "revoked", "expired"]),
    createdAt: timestamp,
    expiresAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    lastUsedAt: nullableTimestamp,
    requestCount: z.number().int(),
  })
  .openapi("ApiKey");

/** Shape of {@link ApiKeySchema}. */
export type ApiKeyView = z.infer<typeof ApiKeySchema>;

/** A key as the data layer reads it: the caller's permissions are added per request. */
export type StoredApiKeyView = Omit<ApiKeyView, "permissions">;

/** `GET /api/api-keys` query. */
export const ApiKeysQuerySchema = z.strictObject({
  user: text()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(300, { error: "must be at most 300 characters" })
    .optional()
    .openapi({ description: "User id or username." }),
  include_revoked: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .openapi({ description: "Include revoked and expired keys." }),
});

/** `GET /api/api-keys`. */
export const ApiKeysSchema = z.object({ items: z.array(ApiKeySchema) }).openapi("ApiKeys");

/** `POST /api/api-keys` body. */
export const CreateApiKeyBodySchema = z
  .strictObject({
    name: text()
      .trim()
      .min(1, { error: "must not be empty" })
      .max(100, { error: "must be at most 100 characters" }),
    user: z
      .union([
        z
          .number()
          .int({ error: "must be a user id or username" })
          .positive({ error: "must be a user id or username" }),
        text()
          .trim()
          .min(1, { error: "must not be empty" })
          .max(300, { error: "must be at most 300 characters" }),
      ])
      .optional()
      .openapi({ description: "User id or username the key acts for; default: the caller." }),
    expiresInDays: z
      .number({ error: "must be a number of days" })
      .positive({ error: "is out of range (more than 0, at most 3650)" })
      .max(3650, { error: "is out of range (more than 0, at most 3650)" })
      .optional()
      .openapi({ description: "Days until the key expires; omit for no expiry." }),
  })
  .openapi("CreateApiKey");

/** A key together with its secret: returned once, by create and rotate. */
export const IssuedApiKeySchema = z
  .object({
    key: ApiKeySchema,
    secret: z.string().openapi({ description: "The full key. Shown once; store it now." }),
  })
  .openapi("IssuedApiKey");

const GRACE_RANGE = `is out of range (0 to ${MAX_GRACE_SECONDS}, i.e. at most 7 days)`;

/** `POST /api/api-keys/{id}/rotate` body (optional). */
export const RotateApiKeyBodySchema = z
  .strictObject({
    graceSeconds: z
      .number({ error: "must be a number of seconds" })
      // Range first: 1e20 is out of range, which says more than "not a safe integer".
      .min(0, { error: GRACE_RANGE })
      .max(MAX_GRACE_SECONDS, { error: GRACE_RANGE })
      .int({ error: "must be a whole number of seconds" })
      .default(0)
      .openapi({ description: "How long the old key keeps working (default 0: it stops now)." }),
  })
  .openapi("RotateApiKey");

/** `POST /api/api-keys/{id}/rotate`: the new key and the id of the one it replaced. */
export const RotatedApiKeySchema = IssuedApiKeySchema.extend({
  replaced: ApiKeySchema,
}).openapi("RotatedApiKey");

/** `GET /api/api-keys/{id}/stats` query. */
export const ApiKeyStatsQuerySchema = z.strictObject({ hours: hoursParam });

/** `GET /api/api-keys/{id}/stats`. */
export const ApiKeyStatsSchema = z
  .object({
    key: ApiKeySchema,
    window: WindowSchema,
    statistics: StatisticsSchema,
    methods: z.array(MethodFiguresSchema),
  })
  .openapi("ApiKeyStats");
