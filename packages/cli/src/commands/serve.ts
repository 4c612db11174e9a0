import type { Argv, CommandModule } from "yargs";
import { CliError } from "../util/cli-error.js";

/** Flags of `grpc-cfg serve`; each wins over grpc-cfg.config.ts and the environment. */
interface ServeArgs {
  readonly config?: string;
  readonly host?: string;
  readonly port?: number;
  readonly workers?: number;
  readonly migrate?: boolean;
  readonly monitor?: boolean;
  readonly "monitor-port"?: number;
  readonly strict?: boolean;
}

/** `grpc-cfg serve`: runs the project's services with everything around them. */
export const serveCommand: CommandModule<object, ServeArgs> = {
  command: "serve",
  describe: "Run the discovered services: auth, request logs, reflection, health, monitor",
  builder: (yargs: Argv) =>
    yargs
      .option("config", { type: "string", describe: "Config file (default: grpc-cfg.config.ts)" })
      .option("host", { type: "string", describe: "Address to bind (default 0.0.0.0; env HOST)" })
      .option("port", {
        type: "number",
        describe: "Port to bind; 0 picks a free one (default 50051; env PORT)",
      })
      .option("workers", {
        type: "number",
        describe: "Processes sharing the port (node:cluster; needs PostgreSQL when > 1)",
      })
      .option("migrate", {
        type: "boolean",
        describe: "Apply pending migrations at start (default true; --no-migrate to skip)",
      })
      .option("monitor", {
        type: "boolean",
        describe: "Serve the REST API and dashboard (default true; --no-monitor to skip)",
      })
      .option("monitor-port", { type: "number", describe: "Monitor port (default 50052)" })
      .option("strict", {
        type: "boolean",
        describe: "Fail when a generated service has no implementation",
      })
      .example("$0 serve", "serve on the configured port, migrating the database first")
      .example(
        "$0 serve --port 0 --no-monitor",
        "any free port, no HTTP monitor",
      ) as Argv<ServeArgs>,
  handler: async (argv) => {
    const overrides = toOverrides(argv);
    const cluster = (await import("node:cluster")).default;
    const { runWorkers, loadConfig, handleProcessFaults, probeListen } =
      await import("@grpc-cfg/runtime");
    // The file may set server.workers; the primary needs the count before any worker starts.
    // A config that does not load is left for the server (or its workers) to report.
    const needsConfig = cluster.isPrimary && overrides.server.workers !== 1;
    const config = needsConfig
      ? await loadConfig(
          process.cwd(),
          overrides,
          argv.config ? { configFile: argv.config } : {},
        ).catch(() => null)
      : null;
    const workers = cluster.isPrimary
      ? (overrides.server.workers ?? config?.server.workers ?? 1)
      : (overrides.server.workers ?? 1);
    if (workers > 1 && config !== null && config.database.url === null) {
      throw new CliError(WORKERS_NEED_POSTGRES, { hint: WORKERS_HINT, exitCode: 2 });
    }
    if (workers > 1 && config !== null) {
      // The workers bind through this process; a taken port is found here, before forking.
      const { listenErrorToCliError } = await import("../serve/listen-errors.js");
      await probeListen(config.server.host, config.server.port).catch((error: unknown) => {
        throw listenErrorToCliError(error, "grpc");
      });
    }
    const { startStack, serverLogger } = await import("../serve/start-stack.js");
    // The primary's own log: workers that die and their replacements; and process faults.
    const primaryLogger = serverLogger(config?.logging.level ?? "info");
    // A worker killed outright cannot mark its instance row stopped: the primary does.
    const databaseUrl = cluster.isPrimary && workers > 1 ? (config?.database.url ?? null) : null;
    const primaryOptions = {
      logger: primaryLogger,
      ...(databaseUrl
        ? {
            onWorkerDeath: (
              await import("../serve/dead-worker-instances.js")
            ).markDeadWorkerInstances(databaseUrl, primaryLogger),
          }
        : {}),
    };

    // Listen for signals before starting: one that arrives while the server starts must
    // still shut it down gracefully once it is up, not kill the process outright. SIGHUP
    // (the terminal of a foreground serve closed, an ssh session ended) stops it the same
    // way: Node's default for it is to exit at once, losing queued log records.
    let stopForFault = () => {};
    const stopSignal = new Promise<string>((resolve) => {
      for (const name of STOP_SIGNALS) process.once(name, () => resolve(name));
      stopForFault = () => resolve("uncaught exception");
    });
    // A signal while start-up waits for another process's migration lock ends that wait.
    const startAbort = new AbortController();
    void stopSignal.then((name) => startAbort.abort(name));
    // A handler's stray rejection is logged and survived; an exception thrown outside any
    // call stops this process gracefully and exits 1 (a worker is then replaced).
    const faults = handleProcessFaults({
      logger: primaryOptions.logger,
      onUncaughtException: () => {
        process.exitCode = 1;
        // Should the stop itself hang, the process still goes.
        setTimeout(() => process.exit(1), FAULT_EXIT_TIMEOUT_MS).unref();
        stopForFault();
      },
    });
    const run = await runWorkers(
      workers,
      async (worker) => {
        const stack = await startStack({
          onRegistered: worker.reportInstance,
          overrides,
          ...(argv.config ? { configFile: argv.config } : {}),
          ...(workers > 1 ? { workers } : {}),
          unhandledRejections: () => faults.unhandledRejections,
          signal: startAbort.signal,
        });
        if (workers > 1 && stack.store.kind === "pglite") {
          // Normally refused before forking; this catches a config the primary could not load.
          await stack.stop("embedded database cannot be shared");
          throw new CliError(WORKERS_NEED_POSTGRES, { hint: WORKERS_HINT, exitCode: 2 });
        }
        if (!cluster.isWorker || cluster.worker?.id === 1)
          process.stdout.write(`${stack.banner}\n`);
        return { address: stack.address, shutdown: (reason) => stack.stop(reason) };
      },
      primaryOptions,
    ).catch((error: unknown) => {
      // In the primary this is a worker that failed to start (it printed its own error) or
      // never listened: a failed start, not a crash of ours.
      if (!cluster.isPrimary || workers <= 1 || error instanceof CliError) throw error;
      throw new CliError(error instanceof Error ? error.message : String(error));
    });
    // A worker is usually stopped by the primary, over IPC: let it go as the server is let go.
    if (run.role === "worker") void run.stopped.then(exitSoon);
    if (run.role === "primary") {
      process.stdout.write(
        `grpc-cfg: ${run.workerPids.length} workers (pids ${run.workerPids.join(", ")}) on port ${run.address.port}\n`,
      );
    }
    const signal = await stopSignal;
    if (run.role !== "worker") process.stdout.write(`\n${signal}: shutting down gracefully…\n`);
    await run.stop(signal);
    if (run.role !== "worker") process.stdout.write("grpc-cfg: stopped\n");
    exitSoon();
  },
};

/**
 * Everything the server owns is closed and every call has its log record. What may still hold
 * the event loop (a handler that ignored its cancellation, a timer the app left) would keep a
 * stopped server's process alive (a worker until the primary's 30 s stop timeout): let it go
 * after a moment.
 */
function exitSoon(): void {
  setTimeout(() => process.exit(), EXIT_AFTER_STOP_MS).unref();
}

const EXIT_AFTER_STOP_MS = 500;

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// After an uncaught exception: the graceful stop's own limits (grace period, flush) come
// first; this is the last resort should something in it hang.
const FAULT_EXIT_TIMEOUT_MS = 120_000;

const WORKERS_NEED_POSTGRES =
  "--workers > 1 needs PostgreSQL: the embedded database is one process's";
const WORKERS_HINT = "set DATABASE_URL, or run with --workers 1";

function toOverrides(argv: ServeArgs) {
  for (const [flag, value, min, max] of [
    ["--port", argv.port, 0, 65535],
    ["--monitor-port", argv["monitor-port"], 0, 65535],
    ["--workers", argv.workers, 1, 256],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new CliError(
        `${flag} must be a whole number from ${min} to ${max}, got ${String(value)}`,
        {
          exitCode: 2,
        },
      );
    }
  }
  return {
    server: {
      ...(argv.host !== undefined ? { host: argv.host } : {}),
      ...(argv.port !== undefined ? { port: argv.port } : {}),
      ...(argv.workers !== undefined ? { workers: argv.workers } : {}),
    },
    ...(argv.migrate === false ? { database: { migrate: false } } : {}),
    ...(argv.monitor !== undefined || argv["monitor-port"] !== undefined
      ? {
          monitor: {
            ...(argv.monitor !== undefined ? { enabled: argv.monitor } : {}),
            ...(argv["monitor-port"] !== undefined ? { port: argv["monitor-port"] } : {}),
          },
        }
      : {}),
    ...(argv.strict !== undefined ? { strictDiscovery: argv.strict } : {}),
  };
}
