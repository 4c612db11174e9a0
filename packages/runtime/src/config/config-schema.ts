import { z } from "zod";
import {
  DEFAULT_TLS_RELOAD_INTERVAL,
  parseTlsReloadInterval,
  TLS_RELOAD_INTERVAL_ERROR,
} from "../server/tls-reload-interval.js";

const MiB = 1024 * 1024;

function int(min: number, max: number) {
  const error = `expected an integer ${min}–${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const nonEmpty = z.string({ error: "expected a non-empty string" }).min(1, {
  error: "expected a non-empty string",
});
const bool = z.boolean({ error: "expected true or false" });
const ms = (min = 0) => int(min, 2_147_483_647);

const middlewareFn = z.custom<(...args: never[]) => unknown>(
  (value) => typeof value === "function",
  {
    error: "expected a nice-grpc server middleware (an async generator function)",
  },
);

const keepalive = z.strictObject({
  timeMs: ms(1).default(7_200_000),
  timeoutMs: ms(1).default(20_000),
});

const connections = z.strictObject({
  maxConcurrentStreams: int(1, 2_147_483_647).optional(),
  maxAgeMs: ms(1).optional(),
  maxAgeGraceMs: ms().optional(),
  maxIdleMs: ms(1).optional(),
});

const tls = z
  .strictObject({
    cert: nonEmpty,
    key: nonEmpty,
    ca: nonEmpty.optional(),
    requireClientCert: bool.default(false),
    reloadInterval: z
      .union([z.string(), z.literal(0)], { error: TLS_RELOAD_INTERVAL_ERROR })
      .superRefine((value, ctx) => {
        const parsed = parseTlsReloadInterval(value);
        if (typeof parsed !== "number") ctx.addIssue({ code: "custom", message: parsed.error });
      })
      .default(DEFAULT_TLS_RELOAD_INTERVAL),
  })
  .refine((value) => !value.requireClientCert || value.ca !== undefined, {
    error: "requireClientCert needs `ca` (the CA that signs client certificates)",
    path: ["ca"],
  });

const server = z.strictObject({
  host: nonEmpty.default("0.0.0.0"),
  port: int(0, 65535).default(50051),
  maxReceiveMessageBytes: int(1, 2_147_483_647).default(4 * MiB),
  maxSendMessageBytes: int(1, 2_147_483_647).default(4 * MiB),
  keepalive: keepalive.prefault({}),
  connections: connections.prefault({}),
  tls: tls.optional(),
  workers: int(1, 256).default(1),
  shutdownGraceMs: ms().default(10_000),
});

const database = z.strictObject({
  url: z
    .string({ error: "expected a postgres:// URL" })
    .regex(/^postgres(ql)?:\/\/.+/, { error: "expected a postgres:// or postgresql:// URL" })
    .optional(),
  dataDir: nonEmpty.default(".grpc-cfg/data"),
  migrate: bool.default(true),
  migrations: z
    .array(
      z.union(
        [
          nonEmpty,
          z.strictObject({
            folder: nonEmpty,
            table: z
              .string({ error: "expected a table name" })
              .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
                error: "expected a table name: [a-z_][a-z0-9_]*, at most 63 characters",
              })
              .optional(),
          }),
        ],
        { error: "expected a path or { folder, table? }" },
      ),
      { error: "expected an array of paths or { folder, table? } objects" },
    )
    .default([]),
});

const auth = z.strictObject({
  apiKeyHeader: z
    .string({ error: "expected a lower-case metadata key" })
    .regex(/^[a-z0-9][a-z0-9_.\-]*$/, { error: "expected a lower-case metadata key" })
    .refine((key) => !key.endsWith("-bin"), { error: "must not be a binary (-bin) key" })
    .default("x-api-key"),
  keyCacheTtlMs: ms().default(30_000),
  keyLookupConcurrency: int(1, 1_000).default(4),
  keyLookupQueue: int(0, 1_000_000).default(1_024),
  // Per client address; 0 (the default) turns it off: behind a proxy or NAT that hides client
  // addresses, one attacker would block everyone sharing the address. See AuthFailureLimiter.
  failureLimit: z
    .strictObject({
      maxFailures: int(0, 1_000_000).default(0),
      windowMs: ms(1).default(10_000),
      blockMs: ms(1).default(60_000),
    })
    .prefault({}),
  secretKey: z
    .strictObject({
      enabled: bool.default(false),
      value: z.string({ error: "expected a string" }).optional(),
    })
    .prefault({}),
  jwt: z
    .strictObject({
      // HS256 keys shorter than the hash (256 bits) are refused by the authenticator too.
      secret: z
        .string({ error: "expected a string of at least 32 characters" })
        .min(32, { error: "must be at least 32 characters (HS256 needs 256 bits)" })
        .optional(),
      // Anything else (ftp:, file:) would be accepted here and then fail every call.
      jwksUrl: z
        .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
        .optional(),
      jwksFile: nonEmpty.optional(),
      issuer: nonEmpty.optional(),
      audience: nonEmpty.optional(),
      userClaim: nonEmpty.default("sub"),
      userLookup: z
        .enum(["auto", "id", "username"], { error: 'expected "auto", "id" or "username"' })
        .default("auto"),
    })
    .refine(
      (jwt) => [jwt.secret, jwt.jwksUrl, jwt.jwksFile].filter((v) => v !== undefined).length === 1,
      { error: "set exactly one of secret, jwksUrl or jwksFile" },
    )
    .optional(),
});

const logging = z.strictObject({
  enabled: bool.default(true),
  // The store's sink writes at most 2 000 rows per INSERT (request-log-sink.ts says why);
  // a larger value would be capped without a word, so it is refused here instead.
  batchSize: int(1, 2_000).default(500),
  flushIntervalMs: ms(1).default(1_000),
  maxQueue: int(1, 10_000_000).default(50_000),
  retentionDays: int(1, 36_500).optional(),
  trustedProxies: z.array(nonEmpty, { error: "expected an array of IP addresses" }).default([]),
  level: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

const monitor = z.strictObject({
  enabled: bool.default(true),
  host: nonEmpty.default("127.0.0.1"),
  port: int(0, 65535).default(50052),
});

const instance = z.strictObject({
  heartbeatMs: ms(1).default(10_000),
  staleAfterMs: ms(1).default(30_000),
  advertiseAddress: nonEmpty.optional(),
});

const middleware = z.strictObject({
  before: z.array(middlewareFn, { error: "expected an array of middleware" }).default([]),
  after: z.array(middlewareFn, { error: "expected an array of middleware" }).default([]),
});

// Read by `grpc-cfg generate`; validated here too so one config file serves every command.
const generate = z.strictObject({
  templates: nonEmpty.optional(),
});

/** Zod schema of `grpc-cfg.config.ts` (after env overrides), filling every default. */
export const configSchema = z.strictObject({
  server: server.prefault({}),
  apps: z
    .array(nonEmpty, { error: "expected an array of folders" })
    .min(1, { error: "expected at least one folder" })
    .default(["src"]),
  generated: nonEmpty.default("src/gen"),
  strictDiscovery: bool.default(false),
  database: database.prefault({}),
  auth: auth.prefault({}),
  logging: logging.prefault({}),
  monitor: monitor.prefault({}),
  instance: instance.prefault({}),
  middleware: middleware.prefault({}),
  generate: generate.prefault({}),
});

/** Output of {@link configSchema}. */
export type ParsedConfig = z.output<typeof configSchema>;
