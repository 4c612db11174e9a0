import type { Sql } from "postgres";
import { StoreError } from "../errors.js";
import type { StoreLogger } from "../logger.js";

/** Session-level advisory lock key held while migrating (any 64-bit constant works). */
export const MIGRATION_LOCK_KEY = 4_707_131_000_001n;

/** Options of {@link acquireMigrationLock}. */
export interface MigrationLockOptions {
  /** Ends the wait with a StoreError `aborted` (e.g. on SIGTERM during start-up). */
  readonly signal?: AbortSignal | undefined;
  /** Told once, after {@link MigrationLockOptions.quietMs}, who holds the lock. */
  readonly logger?: StoreLogger | undefined;
  /** How long to wait before saying so (default 2 000 ms). */
  readonly quietMs?: number;
  /** Pause between attempts (default 250 ms). */
  readonly pollMs?: number;
}

/**
 * Takes the migration lock on `sql`'s single connection, polling `pg_try_advisory_lock`
 * rather than blocking in `pg_advisory_lock`: a blocked query can be neither reported on
 * nor given up (the process held back SIGTERM until the other migrator finished). Another
 * replica rebuilding an index, or a `grpc-cfg migrate` stuck in a CI job, can hold the lock
 * for minutes, so after a moment the wait is logged with the holder's pid.
 */
export async function acquireMigrationLock(
  sql: Sql,
  options: MigrationLockOptions = {},
): Promise<void> {
  const { signal, logger } = options;
  const quietMs = options.quietMs ?? 2_000;
  const pollMs = options.pollMs ?? 250;
  const started = Date.now();
  let told = false;
  for (;;) {
    throwIfAborted(signal);
    const [row] = await sql<{ locked: boolean }[]>`
      select pg_try_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint) as locked`;
    if (row?.locked) return;
    if (!told && Date.now() - started >= quietMs) {
      told = true;
      logger?.warn(`waiting for the migration lock held by ${await describeHolder(sql)}`, {
        waitedMs: Date.now() - started,
      });
    }
    await pause(pollMs, signal);
  }
}

/**
 * "pid N (application_name "…", user "…")" of the session holding the lock, from pg_locks
 * and pg_stat_activity. Only for a message: any failure (e.g. a role that may not read
 * another's activity) falls back to a vaguer phrase.
 */
async function describeHolder(sql: Sql): Promise<string> {
  try {
    // A bigint advisory lock shows as classid = high 32 bits, objid = low 32 bits, objsubid 1.
    const [holder] = await sql<{ pid: number; app: string | null; usename: string | null }[]>`
      select l.pid, a.application_name as app, a.usename
      from pg_locks l left join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.database = (select oid from pg_database where datname = current_database())
        and l.classid::bigint = (${MIGRATION_LOCK_KEY.toString()}::bigint >> 32)
        and l.objid::bigint = (${MIGRATION_LOCK_KEY.toString()}::bigint & 4294967295)
      limit 1`;
    if (!holder) return "another session (it may have just finished)";
    const details = [
      holder.app ? `application_name "${holder.app}"` : null,
      holder.usename ? `user "${holder.usename}"` : null,
    ].filter((part) => part !== null);
    return `pid ${holder.pid}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
  } catch {
    return "another session";
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new StoreError(
      "aborted",
      "stopped waiting for the migration lock; nothing was migrated",
      signal.reason === undefined ? {} : { cause: signal.reason },
    );
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
