import { z } from "@hono/zod-openapi";
import { nullableTimestamp, timestamp } from "./common.js";

/** Lifecycle states of a server instance; `stale` = says running or stopping but stopped heartbeating. */
export const serverStatuses = ["running", "stopping", "stopped", "stale"] as const;

/** One gRPC server instance sharing the database. */
export const ServerSchema = z
  .object({
    id: z.string(),
    host: z.string(),
    pid: z.number().int(),
    address: z.string().nullable(),
    status: z.enum(serverStatuses),
    current: z.boolean().openapi({ description: "True for the instance serving this API." }),
    startedAt: timestamp,
    lastHeartbeatAt: nullableTimestamp,
    stoppedAt: nullableTimestamp,
    uptimeSeconds: z.number().openapi({ description: "Up to now, or to when it stopped." }),
    services: z.array(z.string()),
  })
  .openapi("Server");

/** Shape of {@link ServerSchema}. */
export type ServerView = z.infer<typeof ServerSchema>;

/** `GET /api/servers`. */
export const ServersSchema = z.object({ items: z.array(ServerSchema) }).openapi("Servers");
