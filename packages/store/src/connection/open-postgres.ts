import type { Database } from "@grpc-cfg/runtime";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationError, StoreError } from "../errors.js";
import type { Connection, QueryListener } from "./connection.js";
import { driverUrl, type UrlTarget } from "./describe-url.js";
import { acquireMigrationLock, MIGRATION_LOCK_KEY } from "./migration-lock.js";

/** Pool sizes for {@link openPostgres}. */
export interface PostgresPoolOptions {
  /** Read-write pool size (default 10). */
  readonly max?: number;
  /** Read-only pool size (default 4). */
  readonly readOnlyMax?: number;
  /** Seconds to wait for a connection before failing (default 10). */
  readonly connectTimeoutSeconds?: number;
  /**
   * Seconds `close()` lets in-flight queries finish before destroying connections (default 2).
   * Also bounds a postgres.js bug where `end()` never resolves after a connection error
   * (porsager/postgres#1097).
   */
  readonly closeTimeoutSeconds?: number;
  /**
   * Longest wait, in seconds, before a pool connection tries again after failed connection
   * attempts (default 1). See {@link reconnectDelaySeconds}.
   */
  readonly maxReconnectDelaySeconds?: number;
}

/**
 * How long a pool connection waits before reconnecting after its pool's `failures`-th failed
 * attempt in a row: doubling from 50 ms up to `maxSeconds`, with jitter so a fleet of servers
 * does not reconnect in step.
 *
 * Why not postgres.js's default (3^failures / 100 s, up to 20 s): the failure count is shared
 * by the whole pool and grows with every query tried during an outage, so after ten seconds
 * down the next attempt was 7–20 s away, and calls needing the database kept failing that long
 * after it was back (seen in the reliability suite's db-faults scenario as DEADLINE_EXCEEDED
 * after recovery). A waiting query here also waits out this delay, so a short cap keeps
 * outage answers quick too. Attempts are only made when queries need a connection, so a
 * short cap cannot turn into a reconnect storm larger than the pool.
 */
export function reconnectDelaySeconds(failures: number, maxSeconds = 1): number {
  const ceiling = Math.min(0.05 * 2 ** Math.max(0, failures - 1), maxSeconds);
  return ceiling * (0.5 + Math.random() / 2);
}

/**
 * Connects to PostgreSQL: a read-write pool, and a small second pool whose sessions start
 * with `default_transaction_read_only=on` so the server itself refuses writes (25006).
 * Fails fast with an error naming host and port (never the password) when unreachable.
 */
export async function openPostgres(
  url: string,
  onQuery: QueryListener | undefined,
  pool: PostgresPoolOptions = {},
): Promise<Connection> {
  // The URL as postgres.js reads it, with a socket folder or `?host=` moved into options.
  const { target, url: driverURL, options: where } = driverUrl(url);
  const common = {
    // postgres.js takes list-valued host/port as already split (see DriverUrl.options); its
    // types only know the string and number forms.
    ...(where as { host?: string; port?: number }),
    onnotice: () => {},
    connect_timeout: pool.connectTimeoutSeconds ?? 10,
    backoff: (failures: number) =>
      reconnectDelaySeconds(failures, pool.maxReconnectDelaySeconds ?? 1),
    connection: { application_name: "grpc-cfg" },
  };
  const client = postgres(driverURL, { ...common, max: pool.max ?? 10 });
  const readOnlyClient = postgres(driverURL, {
    ...common,
    max: pool.readOnlyMax ?? 4,
    connection: { application_name: "grpc-cfg (read-only)", default_transaction_read_only: true },
  });
  const closeTimeout = pool.closeTimeoutSeconds ?? 2;
  const close = async () => {
    await Promise.all([
      client.end({ timeout: closeTimeout }),
      readOnlyClient.end({ timeout: closeTimeout }),
    ]);
  };
  try {
    await client`select 1`;
  } catch (error) {
    await close().catch(() => {});
    throw connectionError(target, error);
  }
  const logger = onQuery
    ? { logQuery: (query: string, params: unknown[]) => onQuery(query, params) }
    : false;
  let closed = false;
  return {
    kind: "postgres",
    target: target.display,
    db: drizzle({ client, logger }) as unknown as Database,
    readOnly: drizzle({ client: readOnlyClient, logger }) as unknown as Database,
    async listen(channel, onMessage, onListen) {
      const { unlisten } = await client.listen(channel, onMessage, onListen);
      return unlisten;
    },
    async migrate(folders, options = {}) {
      // A dedicated single connection: the session-level advisory lock and every migration
      // statement share it, so two processes migrating at once run one after the other.
      const migrator = postgres(driverURL, { ...common, max: 1 });
      try {
        await acquireMigrationLock(migrator, options);
        const db = drizzle({ client: migrator, logger });
        for (const config of folders) {
          await migrate(db, config).catch((error: unknown) => {
            throw migrationError(config.migrationsFolder, target.display, error);
          });
        }
        await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
      } finally {
        await migrator.end({ timeout: closeTimeout });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/** Turns a driver failure into a message naming where we tried to connect, never how. */
function connectionError(target: UrlTarget, error: unknown): StoreError {
  let reason = error instanceof Error ? error.message : String(error);
  // Node and postgres.js write an IPv6 endpoint as `::1:5432`; say it as the URL does.
  if (target.socket === null && target.host.includes(":")) {
    reason = reason.replaceAll(`${target.host}:${target.port}`, target.where);
  }
  return new StoreError(
    "connection-failed",
    `cannot connect to PostgreSQL at ${target.where} (database "${target.database}"` +
      `${target.user ? `, user "${target.user}"` : ""}): ${reason}`,
    { cause: error },
  );
}
