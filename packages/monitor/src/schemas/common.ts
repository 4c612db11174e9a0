import { z } from "@hono/zod-openapi";

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
