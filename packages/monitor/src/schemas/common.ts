import { z } from "@hono/zod-openapi";

/** Longest look-back the monitor accepts, in hours (90 days). */
export const MAX_HOURS = 24 * 90;

/** `hours` query parameter: the look-back window, default 24. */
export const hoursParam = z.coerce
  .number({ error: "must be a number of hours" })
  .positive({ error: "must be greater than 0" })
  .max(MAX_HOURS, { error: `must be at most ${MAX_HOURS} (90 days)` })
  .default(24)
  .openapi({ param: { name: "hours", in: "query" }, example: 24, type: "number" });

/** A positive integer path id, e.g. `/api/api-keys/{id}`. */
export const IdParamsSchema = z.object({
  id: z.coerce
    .number({ error: "must be a positive integer id" })
    .int({ error: "must be a positive integer id" })
    .positive({ error: "must be a positive integer id" })
    .max(2 ** 31 - 1, { error: "is out of range" })
    .openapi({ param: { name: "id", in: "path" }, example: 1, type: "integer" }),
});

/** An ISO 8601 timestamp with offset, as every time in the API is written. */
export const timestamp = z.iso.datetime({ offset: true }).openapi({
  example: "2025-01-31T12:00:00.000Z",
});

/** A nullable ISO timestamp. */
export const nullableTimestamp = timestamp.nullable();

/** The time window figures were computed over. */
export const WindowSchema = z
  .object({ from: timestamp, to: timestamp, hours: z.number() })
  .openapi("Window");

/** A user as the monitor shows it. */
export const UserRefSchema = z
  .object({ id: z.number().int(), username: z.string() })
  .openapi("UserRef");

/** An API key as the monitor shows it inside other records. */
export const ApiKeyRefSchema = z
  .object({ id: z.number().int(), name: z.string(), displayPrefix: z.string() })
  .openapi("ApiKeyRef");

/** Figures over a window: counts, success rate and latency percentiles (ms). */
export const StatisticsSchema = z
  .object({
    total: z.number().int(),
    successful: z.number().int(),
    errors: z.number().int(),
    successRate: z.number().openapi({ description: "Percent of calls that succeeded, 0–100." }),
    avgDurationMs: z.number().nullable(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    p99Ms: z.number().nullable(),
  })
  .openapi("Statistics");

/** Shape of {@link StatisticsSchema}. */
export type Statistics = z.infer<typeof StatisticsSchema>;

/** Converts a Date (or null) to the API's ISO string form. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
