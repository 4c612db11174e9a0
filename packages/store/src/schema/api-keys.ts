import {
  bigint,
  index,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { users } from "./users.js";

/**
 * API keys. Only the SHA-256 of the full key (hex) and a short display prefix are stored;
 * the key itself is shown once, at creation.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Lower-case hex SHA-256 of the full key. */
    keyHash: text("key_hash").notNull(),
    displayPrefix: text("display_prefix").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    requestCount: bigint("request_count", { mode: "number" }).notNull().default(0),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    /** The key this one replaced through rotation. */
    rotatedFromId: integer("rotated_from_id").references((): AnyPgColumn => apiKeys.id, {
      onDelete: "set null",
    }),
    /** Set on a rotated-out key: it keeps working until then. */
    graceUntil: timestamp("grace_until", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_key").on(table.keyHash),
    index("api_keys_user_id_idx").on(table.userId),
    index("api_keys_created_at_idx").on(table.createdAt),
  ],
);
