import { isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError, describeValue } from "./config-error.js";
import { configSchema } from "./config-schema.js";
import type { ParsedConfig } from "./config-schema.js";
import type { GrpcCfgConfig, ResolvedConfig } from "./config-types.js";
import { applyEnvOverrides } from "./env-overrides.js";

/** Inputs of {@link resolveConfig} besides the config itself. */
export interface ResolveConfigOptions {
  /** Project root; relative paths resolve against it. Default `process.cwd()`. */
  readonly root?: string;
  /** Environment to read overrides from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Applied last (e.g. CLI flags), over file and environment. */
  readonly overrides?: GrpcCfgConfig;
  /** Where `config` came from, for messages. */
  readonly configFile?: string | null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Deep merge of plain objects; arrays, functions and scalars in `over` replace. */
export function mergeConfig(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  sources: ReadonlyMap<string, string>,
): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const where = path === "" ? "" : `${path}.`;
      return issue.keys.map((key) => `${where}${key}: unknown field`).join("; ");
    }
    const value = "input" in issue ? issue.input : valueAt(input, issue.path);
    const from = sources.has(path) ? ` (from ${sources.get(path)})` : "";
    return `${path || "(config)"}: ${issue.message}, got ${describeValue(path, value)}${from}`;
  });
}

function checkSecretKey(parsed: ParsedConfig, environment: string): string[] {
  const { enabled, value } = parsed.auth.secretKey;
  if (!enabled) return [];
  if (environment === "production") {
    return ["auth.secretKey.enabled: the dev secret key is refused when NODE_ENV=production"];
  }
  if (value === undefined || value === "") {
    return [
      "auth.secretKey.value: required when auth.secretKey.enabled is true (set GRPC_CFG_SECRET_KEY)",
    ];
  }
  if (value.length < 32) return ["auth.secretKey.value: must be at least 32 characters"];
  // The store refuses it too, but only once the database is open and migrated: say it here,
  // with the other configuration problems.
  if (value.startsWith("gcfg_")) {
    return ['auth.secretKey.value: must not start with "gcfg_" (that prefix marks API keys)'];
  }
  return [];
}

/**
 * Validates a config object with the environment and `overrides` applied, fills defaults and
 * makes paths absolute. Throws {@link ConfigError} listing every bad field by path.
 */
export function resolveConfig(
  config: GrpcCfgConfig,
  options: ResolveConfigOptions = {},
): ResolvedConfig {
  const root = resolve(options.root ?? process.cwd());
  const env = options.env ?? process.env;
  const source = options.configFile ?? null;
  const { config: withEnv, sources } = applyEnvOverrides(config as Record<string, unknown>, env);
  const merged = mergeConfig(withEnv, (options.overrides ?? {}) as Record<string, unknown>);
  const result = configSchema.safeParse(merged, { reportInput: true });
  if (!result.success)
    throw new ConfigError(formatIssues(result.error.issues, merged, sources), source);
  const parsed = result.data;
  const environment = env["NODE_ENV"]?.trim() || "development";
  const secretIssues = checkSecretKey(parsed, environment);
  if (secretIssues.length > 0) throw new ConfigError(secretIssues, source);

  const abs = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  const tls = parsed.server.tls;
  const connections = parsed.server.connections;
  return {
    server: {
      ...parsed.server,
      connections: {
        maxConcurrentStreams: connections.maxConcurrentStreams ?? null,
        maxAgeMs: connections.maxAgeMs ?? null,
        maxAgeGraceMs: connections.maxAgeGraceMs ?? null,
        maxIdleMs: connections.maxIdleMs ?? null,
      },
      tls: tls
        ? {
            cert: abs(tls.cert),
            key: abs(tls.key),
            ...(tls.ca !== undefined ? { ca: abs(tls.ca) } : {}),
            requireClientCert: tls.requireClientCert,
            reloadInterval: tls.reloadInterval,
          }
        : null,
    },
    apps: parsed.apps.map(abs),
    generated: abs(parsed.generated),
    strictDiscovery: parsed.strictDiscovery,
    database: {
      url: parsed.database.url ?? null,
      dataDir: abs(parsed.database.dataDir),
      migrate: parsed.database.migrate,
      migrations: parsed.database.migrations.map((entry) =>
        typeof entry === "string"
          ? { folder: abs(entry) }
          : { folder: abs(entry.folder), ...(entry.table ? { table: entry.table } : {}) },
      ),
    },
    auth: {
      apiKeyHeader: parsed.auth.apiKeyHeader,
      keyCacheTtlMs: parsed.auth.keyCacheTtlMs,
      keyLookupConcurrency: parsed.auth.keyLookupConcurrency,
      keyLookupQueue: parsed.auth.keyLookupQueue,
      failureLimit: parsed.auth.failureLimit,
      secretKey: {
        enabled: parsed.auth.secretKey.enabled,
        value: parsed.auth.secretKey.value || null,
      },
      jwt: parsed.auth.jwt
        ? {
            ...parsed.auth.jwt,
            ...(parsed.auth.jwt.jwksFile ? { jwksFile: abs(parsed.auth.jwt.jwksFile) } : {}),
          }
        : null,
    },
    logging: { ...parsed.logging, retentionDays: parsed.logging.retentionDays ?? null },
    monitor: parsed.monitor,
    instance: { ...parsed.instance, advertiseAddress: parsed.instance.advertiseAddress ?? null },
    middleware: {
      before: (config.middleware?.before ?? []).slice(),
      after: (config.middleware?.after ?? []).slice(),
    },
    generate: {
      templates: parsed.generate.templates === undefined ? null : abs(parsed.generate.templates),
    },
    environment,
    root,
    configFile: source,
  };
}
