import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Running (and recently stopped) servers sharing this database. A row whose status is
 * `running` but whose heartbeat is older than the stale threshold belongs to a server that
 * died without saying so; readers report it as stale.
 */
export const serverInstances = pgTable(
  "server_instances",
  {
    id: uuid("id").primaryKey(),
    hostName: text("host_name").notNull(),
    address: text("address"),
    port: integer("port"),
    pid: integer("pid").notNull(),
    version: text("version"),
    /** Fully qualified names of the services this instance serves. */
    services: jsonb("services").$type<string[]>().notNull().default([]),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    lastHeartbeatAt: timestamp("last_heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
    /** `running`, `stopping` or `stopped`. */
    status: text("status").notNull().default("running"),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  },
  (table) => [
    index("server_instances_status_idx").on(table.status, table.lastHeartbeatAt),
    index("server_instances_started_at_idx").on(table.startedAt),
  ],
);
