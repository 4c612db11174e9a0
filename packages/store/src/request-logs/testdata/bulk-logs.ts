/** Test helper: many request log rows at once, written in SQL (the sink is too slow for 50 k). */
import { sql } from "drizzle-orm";
import type { Store } from "../../index.js";

/**
 * Inserts `count` successful calls to `service`, spread over `methods` methods and the
 * `hours` before now, with durations of 0–100 ms; a call in 50 is an error.
 */
export async function insertBulkLogs(
  store: Store,
  options: { service: string; count: number; methods?: number; hours?: number },
): Promise<void> {
  const methods = options.methods ?? 10;
  const seconds = (options.hours ?? 24) * 3600;
  await store.db.execute(sql`
    insert into request_logs (request_id, service, method, path, call_kind, status, grpc_code,
      duration_ms, created_at, completed_at)
    select md5(g::text), ${options.service}, 'M' || (g % ${methods}),
      '/' || ${options.service} || '/M' || (g % ${methods}), 'unary',
      case when g % 50 = 0 then 'error' else 'success' end,
      case when g % 50 = 0 then 13 else 0 end,
      (g % 1000) / 10.0,
      now() - make_interval(secs => (g::float8 / ${options.count}) * ${seconds}),
      now() - make_interval(secs => (g::float8 / ${options.count}) * ${seconds})
    from generate_series(1, ${options.count}::int) g`);
  await store.db.execute(sql`analyze request_logs`);
}
