import type { ServerMiddleware } from "nice-grpc-common";

/** TLS for the gRPC port. Paths are relative to the project root. */
export interface TlsConfig {
  /** PEM certificate chain file. Required. */
  readonly cert: string;
  /** PEM private key file. Required. */
  readonly key: string;
  /** PEM CA bundle used to verify client certificates. Required for `requireClientCert`. */
  readonly ca?: string;
  /** Mutual TLS: refuse clients without a certificate signed by `ca`. Default `false`. */
  readonly requireClientCert?: boolean;
  /**
   * How often to check the files for new contents (a certificate rotation) and serve them to
   * new connections: a duration such as `"60s"` (`"100ms"` to `"596h"`); `"off"` or `0` reads
   * them only at start. New files that fail the start-time checks are not installed. Default
   * `"60s"`.
   */
  readonly reloadInterval?: string | 0;
}

/**
 * HTTP/2 keepalive of the gRPC server. There is no ping policy to set: grpc-js servers answer
 * client pings at any time, with or without calls in flight, and enforce no minimum interval.
 */
export interface KeepaliveConfig {
  /** Ping an idle connection after this long. Default `7_200_000` (2 h, gRPC's default). */
  readonly timeMs?: number;
  /** Close the connection when a ping is unanswered this long. Default `20_000`. */
  readonly timeoutMs?: number;
}

/**
 * Limits on each client connection (one HTTP/2 session, which carries many calls). Unset
 * fields mean no limit, as in grpc-js.
 */
export interface ConnectionsConfig {
  /** Calls one connection may have open at once (HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`); clients queue the rest. Default: unlimited. */
  readonly maxConcurrentStreams?: number;
  /** Close a connection this long after it opened (GOAWAY; running calls go on), so clients reconnect and spread over new servers behind a load balancer. Default: never. */
  readonly maxAgeMs?: number;
  /** After `maxAgeMs`, how long running calls may still take before the connection is cut. Default: unlimited. */
  readonly maxAgeGraceMs?: number;
  /** Close a connection that has had no call for this long. Default: never. */
  readonly maxIdleMs?: number;
}

/** The gRPC listener. */
export interface ServerConfig {
  /** Interface to bind. Default `"0.0.0.0"`; env `HOST`. */
  readonly host?: string;
  /** Port; `0` picks a free one. Default `50051`; env `PORT`. */
  readonly port?: number;
  /** Largest request message accepted, bytes. Default 4 MiB. */
  readonly maxReceiveMessageBytes?: number;
  /** Largest response message sent, bytes. Default 4 MiB. */
  readonly maxSendMessageBytes?: number;
  readonly keepalive?: KeepaliveConfig;
  readonly connections?: ConnectionsConfig;
  /** Serve TLS (and optionally mTLS). Default: plaintext. */
  readonly tls?: TlsConfig;
  /** Processes sharing the port (node:cluster). Default `1`; env `GRPC_CFG_WORKERS`. */
  readonly workers?: number;
  /**
   * How long shutdown waits for in-flight calls before cancelling them, and then (at least
   * 1 s) for the request logs to be written. Default `10_000`.
   */
  readonly shutdownGraceMs?: number;
}

/** The database. Without `url` the embedded PGlite under `dataDir` is used. */
export interface DatabaseConfig {
  /** PostgreSQL URL (`postgres://…`). Default: none (embedded PGlite); env `DATABASE_URL`. */
  readonly url?: string;
  /** PGlite data folder. Default `".grpc-cfg/data"`; env `GRPC_CFG_DATA_DIR`. */
  readonly dataDir?: string;
  /** Apply pending migrations at start. Default `true`. */
  readonly migrate?: boolean;
  /**
   * The app's own Drizzle migration folders, applied after grpc-cfg's: paths, or `{ folder,
   * table }` to name the table tracking one. By default that table is named after the
   * folder's path in the project, the folder with the config file (`drizzle` →
   * `__app_migrations_drizzle`). Default `[]`.
   */
  readonly migrations?: readonly (string | MigrationFolderConfig)[];
}

/** A migration folder with an explicit tracking table. */
export interface MigrationFolderConfig {
  /** drizzle-kit's `out` folder. */
  readonly folder: string;
  /** Table (in schema `drizzle`) recording which of its migrations ran. */
  readonly table?: string;
}

/** A migration folder after resolution: its path made absolute. */
export interface ResolvedMigrationFolder {
  /** Absolute path of the folder. */
  readonly folder: string;
  /** The explicit tracking table, if one was given. */
  readonly table?: string;
}

/** Dev-only shared secret accepted as an API key. Never in production. */
export interface SecretKeyConfig {
  /** Accept the secret key. Default `false`; refused when NODE_ENV is `production`. */
  readonly enabled?: boolean;
  /** The secret (≥ 32 characters). Default: env `GRPC_CFG_SECRET_KEY`. Never logged. */
  readonly value?: string;
}

/** JWT bearer tokens. Give exactly one of `secret` (HS256) or `jwksUrl`/`jwksFile` (asymmetric). */
export interface JwtConfig {
  /** HMAC secret for HS256/HS384/HS512 tokens, at least 32 characters. */
  readonly secret?: string;
  /** URL of a JWKS with the public keys of asymmetric tokens (fetched and cached). */
  readonly jwksUrl?: string;
  /** Local JWKS JSON file with the public keys of asymmetric tokens, read when the server starts. */
  readonly jwksFile?: string;
  /** Expected `iss`. Default: not checked. */
  readonly issuer?: string;
  /** Expected `aud`. Default: not checked. */
  readonly audience?: string;
  /** Claim holding the user (id or username). Default `"sub"`. */
  readonly userClaim?: string;
  /**
   * How the claim finds the user: `"username"`, `"id"` (users.id), or `"auto"`: an
   * all-digit value is an id, anything else a username. With a JWKS (another party's
   * tokens) set `"username"`: under `"auto"` the provider's user "1" is local user 1.
   * Default `"auto"`.
   */
  readonly userLookup?: "auto" | "id" | "username";
}

/**
 * Per client address (after `logging.trustedProxies`): an address whose credentials fail
 * `maxFailures` times within `windowMs` has its credentials refused, unchecked, for
 * `blockMs` (RESOURCE_EXHAUSTED; anonymous on public methods). Loopback is never limited.
 * Off by default: turn it on (e.g. `maxFailures: 100`) only where the server sees each
 * client's own address, or else one client could block all that share a proxy's or NAT's.
 */
export interface AuthFailureLimitConfig {
  /** Failed credentials that start a block; `0` turns the limit off. Default `0`. */
  readonly maxFailures?: number;
  /** Window the failures are counted in. Default `10_000`. */
  readonly windowMs?: number;
  /** How long a block lasts. Default `60_000`. */
  readonly blockMs?: number;
}

/** Authentication. */
export interface AuthConfig {
  /** Metadata key carrying API keys. Default `"x-api-key"`. */
  readonly apiKeyHeader?: string;
  /** How long a verified key stays cached. Default `30_000`. */
  readonly keyCacheTtlMs?: number;
  /**
   * Database lookups of uncached API keys at once, so made-up keys cannot take the whole
   * connection pool. Default `4`.
   */
  readonly keyLookupConcurrency?: number;
  /** Key lookups that may wait for a slot; past that, UNAVAILABLE. Default `1024`. */
  readonly keyLookupQueue?: number;
  readonly failureLimit?: AuthFailureLimitConfig;
  readonly secretKey?: SecretKeyConfig;
  readonly jwt?: JwtConfig;
}

/** Request logging. */
export interface LoggingConfig {
  /** Write one record per call to the database. Default `true`. */
  readonly enabled?: boolean;
  /** Records per database insert, 1–2 000. Default `500`. */
  readonly batchSize?: number;
  /** Longest a record waits before being written. Default `1_000`. */
  readonly flushIntervalMs?: number;
  /** Records held in memory at most (while the database is slow or down); beyond that the oldest are dropped and counted. Default `50_000`. */
  readonly maxQueue?: number;
  /** Delete records older than this. Default: keep forever. */
  readonly retentionDays?: number;
  /** Proxies (IPs) whose `x-forwarded-for` is believed. Default `[]`. */
  readonly trustedProxies?: readonly string[];
  /** Server log level (stderr, JSON lines). Default `"info"`; env `GRPC_CFG_LOG_LEVEL`. */
  readonly level?: "debug" | "info" | "warn" | "error";
}

/** The monitor REST API and dashboard. */
export interface MonitorConfig {
  /** Default `true`. */
  readonly enabled?: boolean;
  /** Default `"127.0.0.1"`; env `MONITOR_HOST`. */
  readonly host?: string;
  /** Default `50052`; env `MONITOR_PORT`. */
  readonly port?: number;
}

/** Server-instance bookkeeping in the database. */
export interface InstanceConfig {
  /** Heartbeat period. Default `10_000`. */
  readonly heartbeatMs?: number;
  /** An instance silent this long counts as stopped. Default `30_000`. */
  readonly staleAfterMs?: number;
  /**
   * Address recorded for this instance (shown by `grpc-cfg status` and the monitor). Default:
   * the bound host, or the machine's first external address when bound to `0.0.0.0`/`::`.
   * Env `GRPC_CFG_ADVERTISE_ADDRESS`.
   */
  readonly advertiseAddress?: string;
}

/** The app's own nice-grpc server middleware around the built-in chain. */
export interface MiddlewareConfig {
  /** Run before request id/logging/auth (outermost). Default `[]`. */
  readonly before?: readonly ServerMiddleware[];
  /** Run between error mapping and the handler (they see the identity). Default `[]`. */
  readonly after?: readonly ServerMiddleware[];
}

/** Settings of `grpc-cfg generate` (the output folder is `generated`). */
export interface GenerateConfig {
  /** Folder of your own copy of the templates (`grpc-cfg templates eject`). Default: the bundled ones. */
  readonly templates?: string;
}

/** What `grpc-cfg.config.ts` exports (every field optional). */
export interface GrpcCfgConfig {
  readonly server?: ServerConfig;
  /** Folders searched for implementations (`grpc-services.ts`, …). Default `["src"]`. */
  readonly apps?: readonly string[];
  /** Folder of generated code (holds `grpc-cfg.manifest.ts`). Default `"src/gen"`. */
  readonly generated?: string;
  /** Fail start when a service has no implementation. Default `false` (warn). */
  readonly strictDiscovery?: boolean;
  readonly database?: DatabaseConfig;
  readonly auth?: AuthConfig;
  readonly logging?: LoggingConfig;
  readonly monitor?: MonitorConfig;
  readonly instance?: InstanceConfig;
  readonly middleware?: MiddlewareConfig;
  readonly generate?: GenerateConfig;
}

type Filled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** Config after validation: defaults filled, env applied, paths absolute. */
export interface ResolvedConfig {
  readonly server: Filled<Omit<ServerConfig, "tls" | "connections">> & {
    readonly keepalive: Filled<KeepaliveConfig>;
    /** Each limit, or null for none. */
    readonly connections: { readonly [K in keyof ConnectionsConfig]-?: number | null };
    readonly tls:
      | (TlsConfig & { readonly requireClientCert: boolean; readonly reloadInterval: string | 0 })
      | null;
  };
  readonly apps: readonly string[];
  readonly generated: string;
  readonly strictDiscovery: boolean;
  readonly database: Filled<Omit<DatabaseConfig, "url" | "migrations">> & {
    readonly url: string | null;
    readonly migrations: readonly ResolvedMigrationFolder[];
  };
  readonly auth: {
    readonly apiKeyHeader: string;
    readonly keyCacheTtlMs: number;
    readonly keyLookupConcurrency: number;
    readonly keyLookupQueue: number;
    readonly failureLimit: Filled<AuthFailureLimitConfig>;
    readonly secretKey: { readonly enabled: boolean; readonly value: string | null };
    readonly jwt:
      | (JwtConfig & {
          readonly userClaim: string;
          readonly userLookup: NonNullable<JwtConfig["userLookup"]>;
        })
      | null;
  };
  readonly logging: Filled<Omit<LoggingConfig, "retentionDays">> & {
    readonly retentionDays: number | null;
  };
  readonly monitor: Filled<MonitorConfig>;
  readonly instance: Filled<Omit<InstanceConfig, "advertiseAddress">> & {
    readonly advertiseAddress: string | null;
  };
  readonly middleware: Filled<MiddlewareConfig>;
  /** `templates` made absolute, or null for the bundled templates. */
  readonly generate: { readonly templates: string | null };
  /** `NODE_ENV`, default `"development"`. */
  readonly environment: string;
  /** Absolute project root (where the config file is looked for). */
  readonly root: string;
  /** Absolute path of the loaded config file, or null when none was found. */
  readonly configFile: string | null;
}

/** Typed identity helper for `grpc-cfg.config.ts`: `export default defineConfig({...})`. */
export function defineConfig(config: GrpcCfgConfig): GrpcCfgConfig {
  return config;
}
