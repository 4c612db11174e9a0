import type { ChannelOptions, ServerInterceptor } from "@grpc/grpc-js";
import { createServer as createNiceServer } from "nice-grpc";
import type { CompatServiceDefinition, Server } from "nice-grpc";
import type { ServerMiddleware } from "nice-grpc-common";
import { HealthDefinition, HealthServiceImpl } from "nice-grpc-server-health";
import type { ResolvedConfig } from "../config/config-types.js";
import type { DatabaseProvider } from "../contracts/database.js";
import type { Authenticator } from "../contracts/identity.js";
import type { GeneratedManifest } from "../contracts/method-table.js";
import type { RequestLogSink } from "../contracts/request-log.js";
import type { DiscoveredService } from "../discovery/discover-services.js";
import { databaseEndpoints } from "../errors/database-endpoints.js";
import type { Logger } from "../logging/logger.js";
import { createJsonLogger } from "../logging/logger.js";
import { CallOutcomes } from "../middleware/call-outcome.js";
import { createCallPipeline } from "../middleware/call-pipeline.js";
import { CallTracker } from "../middleware/call-tracker.js";
import { createServerCredentials } from "./credentials.js";
import { HEALTH_SERVICE_NAME } from "./health-descriptor.js";
import { CallTerminator, createServerHealth } from "./health.js";
import type { ServerHealth } from "./health.js";
import type { ListenError } from "./listen-error.js";
import {
  createReflection,
  REFLECTION_SERVICES,
  ServerReflectionService,
  ServerReflectionV1AlphaService,
} from "./reflection.js";
import type { ServiceDescription } from "./register-services.js";
import { buildImplementation, buildRoutes, describeServices } from "./register-services.js";
import { formatHostPort, toListenError } from "./listen-error.js";
import { createShutdown } from "./shutdown.js";
import { interceptUnknownMethods } from "./unknown-methods.js";

// Health and reflection calls are not logged: they are public and would drown the log in probes.
const UNLOGGED_SERVICES = new Set([HEALTH_SERVICE_NAME, ...REFLECTION_SERVICES]);
const unlogged = (path: string) => UNLOGGED_SERVICES.has(path.slice(1, path.lastIndexOf("/")));

/** Everything {@link createServer} wires together. */
export interface CreateServerOptions {
  /** Validated config (from `loadConfig` / `resolveConfig`). */
  readonly config: ResolvedConfig;
  /** The generated manifest: reflection serves its descriptor set. */
  readonly manifest: GeneratedManifest;
  /** Implementations from `discoverServices`. */
  readonly services: readonly DiscoveredService[];
  /** Tried in order for each credential. Default none (every credential is refused). */
  readonly authenticators?: readonly Authenticator[];
  /** Receive one record per call. Default none. */
  readonly sinks?: readonly RequestLogSink[];
  /** Database for `ctx.db`; without it `ctx.db` throws a clear error. */
  readonly database?: DatabaseProvider | null;
  /** Server log. Default: JSON lines on stderr at `config.logging.level`. */
  readonly logger?: Logger;
}

/** Where the server listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** What the server registered, for the start banner and the monitor. */
export interface ServerDescription {
  readonly services: readonly ServiceDescription[];
  /** Standard services also served (health, reflection). */
  readonly standardServices: readonly string[];
  readonly tls: boolean;
  readonly mutualTls: boolean;
}

/** A configured grpc-cfg server. */
export interface GrpcCfgServer {
  /**
   * Binds the configured host/port (port 0 → a free one) and marks every service SERVING.
   * Rejects with a {@link ListenError} when the address cannot be bound (port in use, no
   * permission).
   */
  listen(): Promise<ListenAddress>;
  /**
   * Graceful shutdown: health NOT_SERVING → stop taking calls (listener closed, GOAWAY on
   * open connections) → let in-flight calls finish within `server.shutdownGraceMs` → answer
   * the rest UNAVAILABLE and close the connections → flush the sinks. Idempotent: later
   * calls return the same promise.
   */
  shutdown(reason?: string): Promise<void>;
  readonly health: ServerHealth;
  describe(): ServerDescription;
  /** The bound address after `listen()`, else null. */
  readonly address: ListenAddress | null;
  /** Calls in flight through the middleware chain. */
  readonly activeCalls: number;
}

type Builder = {
  with(middleware: ServerMiddleware<object, object>): Builder;
  add(definition: CompatServiceDefinition, implementation: object): void;
};

/** grpc-js's names for the connection limits; unset ones are left to grpc-js. */
const CONNECTION_OPTIONS = {
  maxConcurrentStreams: "grpc.max_concurrent_streams",
  maxAgeMs: "grpc.max_connection_age_ms",
  maxAgeGraceMs: "grpc.max_connection_age_grace_ms",
  maxIdleMs: "grpc.max_connection_idle_ms",
} as const;

function channelOptions(config: ResolvedConfig, outcomes: CallOutcomes): ChannelOptions {
  const { server } = config;
  const limits: Record<string, number> = {};
  for (const [field, option] of Object.entries(CONNECTION_OPTIONS)) {
    const value = server.connections[field as keyof typeof CONNECTION_OPTIONS];
    if (value !== null) limits[option] = value;
  }
  return {
    ...limits,
    "grpc.max_receive_message_length": server.maxReceiveMessageBytes,
    "grpc.max_send_message_length": server.maxSendMessageBytes,
    "grpc.keepalive_time_ms": server.keepalive.timeMs,
    "grpc.keepalive_timeout_ms": server.keepalive.timeoutMs,
    // grpc-js ServerOptions; nice-grpc passes the object to `new grpc.Server()` as is.
    interceptors: [outcomes.interceptor] satisfies ServerInterceptor[],
  } as ChannelOptions;
}

/**
 * Builds the gRPC server: the discovered services behind user `before` middleware → the
 * built-in call pipeline (request id, request logging, drain guard, authentication, service
 * context, error mapping; see {@link createCallPipeline}) → user `after` middleware → the
 * handler; plus grpc.health.v1 (per-service status) and grpc.reflection v1 and v1alpha.
 * Health and reflection calls skip logging and auth: they are public and would drown the
 * request log in probes. Every response carries `x-request-id` (set by the interceptor).
 */
export function createServer(options: CreateServerOptions): GrpcCfgServer {
  const { config, manifest, services } = options;
  const logger = options.logger ?? createJsonLogger({ level: config.logging.level });
  const sinks = options.sinks ?? [];
  const routes = buildRoutes(services);
  const routeOf = (path: string) => routes.get(path) ?? null;
  const tracker = new CallTracker();
  const terminator = new CallTerminator();
  const serviceNames = services.map((s) => s.entry.fullName);
  const health = createServerHealth(serviceNames);
  const credentials = createServerCredentials(config.server.tls, config.configFile, logger);
  let draining = false;

  const outcomes = new CallOutcomes();
  const server: Server = createNiceServer(channelOptions(config, outcomes));
  const before = config.middleware.before as ServerMiddleware<object, object>[];
  const pipeline = createCallPipeline({
    sinks,
    trustedProxies: config.logging.trustedProxies,
    authenticators: options.authenticators ?? [],
    apiKeyHeader: config.auth.apiKeyHeader,
    failureLimit: config.auth.failureLimit,
    database: options.database ?? null,
    logger,
    tracker,
    isDraining: () => draining,
    outcomes,
    after: config.middleware.after as ServerMiddleware<object, object>[],
    hasBefore: before.length > 0,
    databaseEndpoints: databaseEndpoints(config.database.url),
  });
  // Calls grpc-js answers itself (unknown methods included) get their log record too.
  interceptUnknownMethods(outcomes.interceptor);
  outcomes.onUnhandled(pipeline.unhandledCalls(routeOf, unlogged));
  const builder = (chain: readonly ServerMiddleware<object, object>[]): Builder =>
    chain.reduce<Builder>((b, middleware) => b.with(middleware), server as unknown as Builder);

  // With `before` middleware, a guard outside them maps and logs what they throw.
  const outer = before.length > 0 ? [pipeline.beforeGuard(routeOf), ...before] : [];
  for (const service of services) {
    builder(outer).add(
      service.entry.definition as CompatServiceDefinition,
      buildImplementation(service, (path, method, handler) =>
        pipeline.wrap(routeOf(path), method, handler),
      ),
    );
  }
  builder([terminator.middleware() as ServerMiddleware<object, object>]).add(
    HealthDefinition,
    HealthServiceImpl(health.state),
  );
  const reflection = createReflection(manifest.descriptorSet, serviceNames);
  server.add(ServerReflectionService, reflection);
  server.add(ServerReflectionV1AlphaService, reflection);

  let address: ListenAddress | null = null;
  const shutdown = createShutdown({
    server,
    health,
    terminator,
    tracker,
    sinks,
    logger,
    graceMs: config.server.shutdownGraceMs,
    startDraining: () => {
      draining = true;
    },
  });

  return {
    async listen() {
      const { host, port } = config.server;
      const bound = await server
        .listen(formatHostPort(host, port), credentials)
        .catch((error: unknown) => {
          throw toListenError(error, host, port);
        });
      address = { host, port: bound };
      health.setAll(true);
      return address;
    },
    shutdown,
    health,
    describe: () => ({
      services: describeServices(services),
      standardServices: ["grpc.health.v1.Health", ...REFLECTION_SERVICES],
      tls: config.server.tls !== null,
      mutualTls: config.server.tls?.requireClientCert ?? false,
    }),
    get address() {
      return address;
    },
    get activeCalls() {
      return tracker.active;
    },
  };
}
