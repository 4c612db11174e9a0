import { basename } from "node:path";
import type { Database, DatabaseProvider } from "@grpc-cfg/runtime";
import {
  ApiKeyAuthenticator,
  type ApiKeyAuthenticatorOptions,
} from "./api-keys/api-key-authenticator.js";
import { ApiKeysRepository } from "./api-keys/api-keys-repository.js";
import { ChangeFeed } from "./change-feed.js";
import type { Connection, QueryListener } from "./connection/connection.js";
import { openPglite } from "./connection/open-pglite.js";
import { openPostgres, type PostgresPoolOptions } from "./connection/open-postgres.js";
import { describeDbError, StoreError } from "./errors.js";
import { InstanceHandle } from "./instances/instance-handle.js";
import {
  InstancesRepository,
  type RegisterInstanceInput,
} from "./instances/instances-repository.js";
import { JwtAuthenticator, type JwtAuthenticatorOptions } from "./jwt/jwt-authenticator.js";
import { stderrLogger, type StoreLogger } from "./logger.js";
import {
  appliedCount,
  migrationPlan,
  type AppMigrationFolder,
  type MigrationFolderReport,
} from "./migrate.js";
import { adoptLegacyHistory } from "./migration-tables.js";
import {
  DatabaseRequestLogSink,
  type RequestLogSinkOptions,
} from "./request-logs/request-log-sink.js";
import { RequestLogsRepository } from "./request-logs/request-logs-repository.js";
import { UsersRepository } from "./users/users-repository.js";

/** Default PGlite folder, relative to the working directory. */
export const DEFAULT_DATA_DIR = ".grpc-cfg/data";
/**
 * `dataDir` value for a throw-away in-memory PGlite database. Also recognised as the last
 * segment of a path, since config loaders make `dataDir` absolute (`/app/:memory:`).
 */
export const IN_MEMORY = ":memory:";

function isInMemory(dataDir: string | undefined): boolean {
  return dataDir !== undefined && basename(dataDir) === IN_MEMORY;
}

/** How to open the store. Mirrors the config's `database` section. */
export interface StoreOptions {
  /** PostgreSQL URL (DATABASE_URL). Unset: embedded PGlite in `dataDir`. */
  readonly url?: string;
  /** PGlite folder, created on first use (default `.grpc-cfg/data`); {@link IN_MEMORY} for none. */
  readonly dataDir?: string;
  /** Apply pending migrations on open (default true). When false, a schema behind the code is an error. */
  readonly migrate?: boolean;
  /**
   * With `migrate: false`, skip the "schema is up to date" check too (default true = check).
   * For tools that inspect or migrate the schema themselves, such as `grpc-cfg migrate`.
   */
  readonly checkSchema?: boolean;
  /** The app's own drizzle-kit migration folders, applied after the store's. */
  readonly migrationsFolders?: readonly (string | AppMigrationFolder)[];
  /** Background problems (log retries, dropped records…). Default: stderr. */
  readonly logger?: StoreLogger;
  /** Sees every SQL statement run through the Drizzle handles (tests, debugging). */
  readonly onQuery?: QueryListener;
  /** PostgreSQL pool sizes and connect timeout. */
  readonly pool?: PostgresPoolOptions;
  /**
   * Gives up a wait for another process's migration lock: `openStore` then rejects with a
   * StoreError `aborted`. E.g. one that fires on SIGTERM while a server starts.
   */
  readonly signal?: AbortSignal;
}

/** Options of `store.registerInstance`. */
export interface RegisterInstanceOptions extends RegisterInstanceInput {
  /** Heartbeat period (default 10 000 ms). */
  readonly heartbeatMs?: number;
}

/** The data layer: connection, repositories and the runtime-facing factories. */
export interface Store {
  readonly kind: "pglite" | "postgres";
  /** Where the data lives, for messages: a folder or `host:port/database` (no password). */
  readonly target: string;
  /** The read-write and read-only Drizzle handles services get. */
  readonly provider: DatabaseProvider;
  /** Shortcut for `provider.db`. */
  readonly db: Database;
  readonly users: UsersRepository;
  readonly apiKeys: ApiKeysRepository;
  readonly requestLogs: RequestLogsRepository;
  readonly instances: InstancesRepository;
  /**
   * Applies pending migrations (the store's, then the app's), safe across processes. While
   * another process holds the migration lock it waits, says so in the log after 2 s, and
   * gives up with a StoreError `aborted` when `signal` fires.
   */
  migrate(options?: { readonly signal?: AbortSignal }): Promise<MigrationFolderReport[]>;
  /** Applied/total per migration folder, without applying anything. */
  migrationStatus(): Promise<MigrationFolderReport[]>;
  /** The API-key (and dev secret key) authenticator. Throws `misconfigured` for a bad secret-key setup. */
  createApiKeyAuthenticator(options?: ApiKeyAuthenticatorOptions): ApiKeyAuthenticator;
  /** The Bearer JWT authenticator. Throws `misconfigured` for a bad key source. */
  createJwtAuthenticator(options: JwtAuthenticatorOptions): JwtAuthenticator;
  /** A batched request log sink writing to this database. */
  createRequestLogSink(options?: RequestLogSinkOptions): DatabaseRequestLogSink;
  /** Registers this server and starts its heartbeat. */
  registerInstance(options?: RegisterInstanceOptions): Promise<InstanceHandle>;
  /** Flushes sinks and usage counters made here, stops heartbeats, closes the connection. */
  close(): Promise<void>;
}

/** Opens PostgreSQL (`url`) or PGlite (`dataDir`), migrating unless told not to. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const logger = options.logger ?? stderrLogger;
  const connection = options.url
    ? await openPostgres(options.url, options.onQuery, options.pool)
    : await openPglite(
        isInMemory(options.dataDir) ? null : (options.dataDir ?? DEFAULT_DATA_DIR),
        options.onQuery,
      );
  try {
    const plan = migrationPlan(options.migrationsFolders);
    const store = new OpenStore(connection, plan, logger);
    if (options.migrate ?? true)
      await store.migrate(options.signal ? { signal: options.signal } : {});
    else if (options.checkSchema ?? true) await store.assertMigrated();
    return store;
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
}

class OpenStore implements Store {
  readonly kind: "pglite" | "postgres";
  readonly target: string;
  readonly provider: DatabaseProvider;
  readonly db: Database;
  readonly users: UsersRepository;
  readonly apiKeys: ApiKeysRepository;
  readonly requestLogs: RequestLogsRepository;
  readonly instances: InstancesRepository;
  readonly #connection: Connection;
  readonly #plan: ReturnType<typeof migrationPlan>;
  readonly #logger: StoreLogger;
  readonly #feed: ChangeFeed;
  readonly #closers: (() => Promise<void> | void)[] = [];
  #closed = false;

  constructor(connection: Connection, plan: ReturnType<typeof migrationPlan>, logger: StoreLogger) {
    this.#connection = connection;
    this.#plan = plan;
    this.#logger = logger;
    this.kind = connection.kind;
    this.target = connection.target;
    this.db = connection.db;
    this.provider = { db: connection.db, readOnly: connection.readOnly };
    this.#feed = new ChangeFeed(connection, logger);
    this.users = new UsersRepository(connection.db, this.#feed);
    this.apiKeys = new ApiKeysRepository(connection.db, this.#feed, this.users);
    this.requestLogs = new RequestLogsRepository(connection.db, connection.readOnly);
    this.instances = new InstancesRepository(connection.db);
  }

  async migrate(options: { readonly signal?: AbortSignal } = {}): Promise<MigrationFolderReport[]> {
    // Before counting: the history read as "before" must be the adopted one.
    const adopted = await adoptLegacyHistory(this.db, this.#plan, this.#logger);
    const before = await this.migrationStatus();
    await this.#connection.migrate(this.#plan, { signal: options.signal, logger: this.#logger });
    const after = await this.migrationStatus();
    return after.map((entry, i) => {
      const adoptedFrom = adopted.get(entry.table);
      return {
        ...entry,
        applied: entry.applied - (before[i]?.applied ?? 0),
        ...(adoptedFrom ? { adoptedFrom } : {}),
      };
    });
  }

  async migrationStatus(): Promise<MigrationFolderReport[]> {
    const report: MigrationFolderReport[] = [];
    for (const config of this.#plan) {
      const { applied, total, adoptedFrom } = await appliedCount(this.db, config);
      report.push({
        folder: config.migrationsFolder,
        table: config.migrationsTable ?? "",
        applied,
        total,
        ...(adoptedFrom ? { adoptedFrom } : {}),
      });
    }
    return report;
  }

  async assertMigrated(): Promise<void> {
    const behind = (await this.migrationStatus()).filter((entry) => entry.applied < entry.total);
    if (behind.length > 0) {
      const missing = behind.reduce((sum, entry) => sum + entry.total - entry.applied, 0);
      throw new StoreError(
        "schema-outdated",
        `the database at ${this.target} is missing ${missing} migration(s) (${behind.map((entry) => entry.folder).join(", ")}); ` +
          "run `grpc-cfg migrate` or open the store with migrate: true",
      );
    }
  }

  createApiKeyAuthenticator(options?: ApiKeyAuthenticatorOptions): ApiKeyAuthenticator {
    this.#assertOpen();
    const authenticator = new ApiKeyAuthenticator(
      this.apiKeys,
      this.users,
      this.#feed,
      this.#logger,
      options,
    );
    this.#closers.push(() => authenticator.close());
    return authenticator;
  }

  createJwtAuthenticator(options: JwtAuthenticatorOptions): JwtAuthenticator {
    this.#assertOpen();
    const authenticator = new JwtAuthenticator(this.users, this.#feed, options);
    this.#closers.push(() => authenticator.close());
    return authenticator;
  }

  createRequestLogSink(options?: RequestLogSinkOptions): DatabaseRequestLogSink {
    this.#assertOpen();
    const sink = new DatabaseRequestLogSink(this.requestLogs, this.#logger, options);
    this.#closers.push(() => sink.close());
    return sink;
  }

  async registerInstance(options: RegisterInstanceOptions = {}): Promise<InstanceHandle> {
    this.#assertOpen();
    const { heartbeatMs = 10_000, ...input } = options;
    const record = await this.instances.register(input);
    const handle = new InstanceHandle(record, this.instances, this.#logger, heartbeatMs);
    this.#closers.push(() => handle.stopHeartbeat());
    return handle;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const close of this.#closers.splice(0)) {
      try {
        await close();
      } catch (error) {
        this.#logger.warn("error while closing the store", { error: describeDbError(error) });
      }
    }
    await this.#feed.close();
    await this.#connection.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError("failed-precondition", "the store is closed");
  }
}
