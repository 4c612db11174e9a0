import cluster from "node:cluster";
import path from "node:path";
import {
  DiscoveryError,
  createJsonLogger,
  createServer,
  currentWorkerSlot,
  discoverServices,
  loadManifest,
  probeListen,
  startBanner,
  toListenError,
} from "@grpc-cfg/runtime";
import type {
  Authenticator,
  GrpcCfgConfig,
  GrpcCfgServer,
  ListenAddress,
  Logger,
  LogLevel,
  RequestLogSink,
  ResolvedConfig,
} from "@grpc-cfg/runtime";
import type { InstanceHandle, Store } from "@grpc-cfg/store";
import type { RunningMonitor } from "@grpc-cfg/monitor";
import { loadProjectConfig } from "../project/load-project-config.js";
import { CliError } from "../util/cli-error.js";
import { storeErrorToCliError } from "../util/store-errors.js";
import { createAuthenticators } from "./authenticators.js";
import { LateBoundSink } from "./late-bound-sink.js";
import { manifestHint } from "./manifest-hint.js";
import { listenErrorToCliError } from "./listen-errors.js";
import { monitorAuditLog, monitorErrorLog } from "./monitor-error-log.js";
import { openConfiguredStore, warnIfEmbeddedInProduction } from "./open-configured-store.js";
import { registerServerInstance } from "./server-instance.js";

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Project root: where grpc-cfg.config.* is looked for. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Config file to use instead of looking for one. */
  readonly configFile?: string;
  /** Settings that win over the file and the environment (CLI flags). */
  readonly overrides?: GrpcCfgConfig;
  /** Server log. Default: JSON lines on stderr at the configured level. */
  readonly logger?: Logger;
  /** Worker count shown in the banner (the caller forks). */
  readonly workers?: number;
  /** Unhandled promise rejections the process survived, for `/metrics`. */
  readonly unhandledRejections?: () => number;
  /**
   * Ends a wait for the migration lock another process holds (the start then fails with a
   * {@link CliError}): a stop signal must not wait for someone else's index build.
   */
  readonly signal?: AbortSignal;
  /** Hears the server instance id as soon as the row is registered. */
  readonly onRegistered?: (instanceId: string) => void;
}

/** A running server with everything around it. */
export interface RunningStack {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly server: GrpcCfgServer;
  readonly address: ListenAddress;
  readonly instance: InstanceHandle;
  /** Null when the monitor is disabled. */
  readonly monitor: RunningMonitor | null;
  /** The start banner: address, services, method counts, monitor URL. */
  readonly banner: string;
  /**
   * Graceful stop: gRPC shutdown (health NOT_SERVING, refuse new calls, drain, cancel, flush
   * the log sink; the instance is marked `stopping` meanwhile) → monitor closed → instance
   * `stopped` → store closed. Idempotent.
   */
  stop(reason?: string): Promise<void>;
}

/**
 * Starts what `grpc-cfg serve` runs: config → database (migrated unless told not to) →
 * manifest + discovery → authenticators and log sinks → gRPC server → instance registration
 * → monitor. Anything that fails on the way is closed again and reported as a {@link CliError}.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = await readConfig(cwd, options);
  const logger = options.logger ?? serverLogger(config.logging.level);
  const store = await openConfiguredStore(
    config,
    logger.child({ component: "store" }),
    options.signal,
  );
  warnIfEmbeddedInProduction(store, logger);
  const cleanups: (() => Promise<void>)[] = [() => store.close()];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => {});
  };
  try {
    const manifest = await loadManifestOrExplain(config);
    const discovery = await discoverOrExplain(config, manifest.services, logger);
    const authenticators = createAuthenticators(store, config, logger);
    const apiKeys = authenticators[0] as ReturnType<Store["createApiKeyAuthenticator"]>;
    const { createMetrics, storeMetricsSources } = await import("@grpc-cfg/monitor");
    const metrics = createMetrics();
    const databaseSink = new LateBoundSink();
    const sinks: RequestLogSink[] = [metrics];
    if (config.logging.enabled) sinks.unshift(databaseSink);

    const server = createServer({
      config,
      manifest,
      services: discovery.services,
      authenticators,
      sinks,
      database: store.provider,
      logger,
    });
    // grpc-js logs a failed bind before it reports it: find the problem first (and the
    // monitor's, before the server starts). A worker's bind goes through the primary.
    if (cluster.isPrimary) {
      await probeListen(config.server.host, config.server.port).catch((error: unknown) => {
        throw listenErrorToCliError(error, "grpc");
      });
      if (config.monitor.enabled) {
        await probeListen(config.monitor.host, config.monitor.port).catch((error: unknown) => {
          throw listenErrorToCliError(error, "monitor");
        });
      }
    }
    const address = await server.listen().catch((error: unknown) => {
      throw listenErrorToCliError(error, "grpc");
    });
    cleanups.push(() => server.shutdown("start-up failed"));
    const description = server.describe();
    const instance = await registerServerInstance(
      store,
      config,
      address,
      description.services.map((s) => s.fullName),
      options.onRegistered,
    );
    // Should the monitor then fail to start, the row must not stay `running`.
    cleanups.push(() => instance.markStopped());
    databaseSink.bind(
      store.createRequestLogSink({
        batchSize: config.logging.batchSize,
        flushIntervalMs: config.logging.flushIntervalMs,
        maxQueue: config.logging.maxQueue,
        // The server's shutdown has already waited for the flush (as long as for its calls);
        // closing then only tries once more before counting what is left as dropped.
        closeTimeoutMs: 2_000,
        instanceId: instance.id,
        ...(config.logging.retentionDays === null
          ? {}
          : { retentionDays: config.logging.retentionDays }),
      }),
    );
    metrics.attach(storeMetricsSources({ sink: databaseSink, authenticator: apiKeys }));
    if (options.unhandledRejections) {
      metrics.attach({ unhandledRejections: options.unhandledRejections });
    }

    let monitor: RunningMonitor | null = null;
    if (config.monitor.enabled) {
      const { startMonitorServer } = await import("@grpc-cfg/monitor");
      monitor = await startMonitorServer(
        {
          store,
          authenticator: firstMatch(authenticators),
          registry: { services: manifest.services },
          instanceId: instance.id,
          metrics,
          logSinkStats: () => databaseSink.stats(),
          staleAfterMs: config.instance.staleAfterMs,
          onError: monitorErrorLog(logger.child({ component: "monitor" })),
          onAudit: monitorAuditLog(logger.child({ component: "monitor" })),
        },
        { host: config.monitor.host, port: config.monitor.port },
      ).catch((error: unknown) => {
        // The monitor names the address itself and keeps Node's error as the cause.
        const bind = (error as { cause?: unknown } | null)?.cause ?? error;
        const code = (bind as { code?: unknown } | null)?.code;
        if (typeof code === "string" && code.startsWith("E")) {
          const { host, port } = config.monitor;
          throw listenErrorToCliError(toListenError(bind, host, port), "monitor");
        }
        throw new CliError(
          `cannot start the monitor on ${config.monitor.host}:${config.monitor.port}: ${describe(error)}`,
          { hint: "free the port, set monitor.port / MONITOR_PORT, or pass --no-monitor" },
        );
      });
    }

    const bannerLines = [
      startBanner({
        address,
        description,
        missing: discovery.missing.map((entry) => entry.fullName),
        ...(options.workers ? { workers: options.workers } : {}),
      }),
      `  database: ${store.kind} ${store.target}`,
      monitor ? `  monitor:  ${monitor.url}/  (REST API under /api, metrics at /metrics)` : null,
    ].filter((line): line is string => line !== null);

    let stopping: Promise<void> | null = null;
    const stop = (reason = "stop requested") =>
      (stopping ??= (async () => {
        // Refuse new calls first; the "stopping" row is bookkeeping and must not delay that.
        const marking = instance.markStopping().catch(() => {});
        await server.shutdown(reason);
        await marking;
        await monitor?.close().catch(() => {});
        await instance.markStopped().catch(() => {});
        await store.close();
      })());
    return {
      config,
      store,
      server,
      address,
      instance,
      monitor,
      banner: bannerLines.join("\n"),
      stop,
    };
  } catch (error) {
    await cleanUp();
    throw toCliError(error);
  }
}

function readConfig(cwd: string, options: StackOptions): Promise<ResolvedConfig> {
  return loadProjectConfig(
    cwd,
    options.overrides ?? {},
    options.configFile ? { configFile: options.configFile } : {},
  );
}

/**
 * The server's log: JSON lines at `level`. A worker's lines say which of the `--workers` slots
 * wrote them: N workers otherwise log N identical lines (e.g. "server stopped").
 */
export function serverLogger(level: LogLevel): Logger {
  const slot = currentWorkerSlot();
  return createJsonLogger({ level, ...(slot ? { bindings: { worker: slot.slot } } : {}) });
}

async function loadManifestOrExplain(config: ResolvedConfig) {
  try {
    return await loadManifest(config.generated);
  } catch (error) {
    throw new CliError(describe(error), { hint: manifestHint(config) });
  }
}

async function discoverOrExplain(
  config: ResolvedConfig,
  services: Parameters<typeof discoverServices>[0]["services"],
  logger: Logger,
) {
  return discoverServices({
    apps: config.apps,
    services,
    strict: config.strictDiscovery,
    logger,
    root: config.root,
    generated: config.generated,
  });
}

/** One authenticator that asks each in turn, as the gRPC chain does. */
function firstMatch(authenticators: readonly Authenticator[]): Authenticator {
  return {
    async authenticate(credential) {
      for (const authenticator of authenticators) {
        const result = await authenticator.authenticate(credential);
        if (result) return result;
      }
      return null;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toCliError(error: unknown): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof DiscoveryError) {
    return new CliError(error.message, {
      hint: error.loadFailed
        ? "fix the file, or run `grpc-cfg generate` if what it imports from the generated folder is missing"
        : "each generated service needs exactly one class extending its <Service>Base",
    });
  }
  return storeErrorToCliError(error);
}
