import type { Database } from "@grpc-cfg/runtime";
import type { MigrationConfig } from "drizzle-orm/migrator";
import type { StoreLogger } from "../logger.js";

/** Options of {@link Connection.migrate}. */
export interface MigrateOptions {
  /**
   * Ends a wait for another process's migration lock (StoreError `aborted`). Once the lock
   * is taken the migrations run to the end: drizzle applies a folder's pending migrations in
   * one transaction, so there is nothing to gain from stopping between them.
   */
  readonly signal?: AbortSignal | undefined;
  /** Where a long wait for that lock is reported. */
  readonly logger?: StoreLogger | undefined;
}

/** Called with the SQL text of every statement the store's Drizzle handles run. */
export type QueryListener = (sql: string, params: readonly unknown[]) => void;

/**
 * One open database, PGlite or PostgreSQL, behind the same Drizzle API. Everything above this
 * layer is backend-agnostic; only this interface knows the difference.
 */
export interface Connection {
  readonly kind: "pglite" | "postgres";
  /** Where the data lives, for messages: a folder or `host:port/database` (never a password). */
  readonly target: string;
  readonly db: Database;
  /** Every statement runs in a read-only transaction: writes fail with SQLSTATE 25006. */
  readonly readOnly: Database;
  /**
   * LISTENs on a channel. `onListen` runs each time listening (re)starts — notifications sent
   * while disconnected are lost, so callers drop their caches then. Resolves to an unlisten.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  /** Applies migration folders in order, one at a time even across processes. */
  migrate(folders: readonly MigrationConfig[], options?: MigrateOptions): Promise<void>;
  close(): Promise<void>;
}
