// Types only at the top: every command module loads on each CLI start, and the monitor and
// runtime are heavy; the handler imports them.
import type { ServiceRegistry } from "@grpc-cfg/monitor";
import type { Logger, ResolvedConfig } from "@grpc-cfg/runtime";
import type { Store } from "@grpc-cfg/store";
import type { CommandModule } from "yargs";
import { apiKeyAuthenticatorOptions } from "../serve/authenticators.js";
import { CliError } from "../util/cli-error.js";
import { storeErrorToCliError } from "../util/store-errors.js";
import { readProjectConfig } from "./store/store-args.js";

interface MonitorArgs {
  host?: string;
  port?: number;
  config?: string;
}

/**
 * `grpc-cfg monitor`: the REST API and dashboard on their own, against the configured
 * database — for looking at logs, servers and keys without running the gRPC server here.
 * `/metrics` is not served: metrics belong to a gRPC server process (`grpc-cfg serve` serves
 * them beside its monitor).
 */
export const monitorCommand: CommandModule<object, MonitorArgs> = {
  command: "monitor",
  describe: "Serve the monitor REST API and dashboard against the configured database",
  builder: (yargs) =>
    yargs
      .option("host", {
        type: "string",
        describe: "Interface to bind (default: monitor.host, 127.0.0.1)",
      })
      .option("port", {
        type: "number",
        describe: "Port; 0 picks a free one (default: monitor.port, 50052)",
      })
      .option("config", {
        type: "string",
        describe: "Config file (default: grpc-cfg.config.ts in the current folder)",
      })
      .epilog(
        "Sign in with the API key of a staff or superuser account.\n" +
          "Exit status: 0 stopped by SIGINT/SIGTERM/SIGHUP, 1 could not start.",
      ),
  handler: async (argv) => {
    if (
      argv.port !== undefined &&
      (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535)
    ) {
      throw new CliError(`--port must be an integer from 0 to 65535, got ${String(argv.port)}`, {
        hint: "use --port 0 for any free port",
        exitCode: 2,
      });
    }
    // Listen before starting, as `serve` does: a signal while the store opens (or waits for
    // another process's migration lock) still stops this process gracefully. SIGHUP (the
    // terminal closed, an ssh session ended) too: Node's default for it kills at once.
    const stop = listenForStopSignals();
    try {
      // It signs people in, with the dev secret key too when the config enables it.
      const config = await readProjectConfig(argv, { usesSecretKey: true });
      const { serverLogger } = await import("../serve/start-stack.js");
      // JSON lines at the configured level on stderr, as `serve` writes them: one log
      // shipper setup reads both.
      const logger = serverLogger(config.logging.level);
      const { openConfiguredStore } = await import("../serve/open-configured-store.js");
      const store = await openConfiguredStore(
        config,
        logger.child({ component: "store" }),
        stop.abort,
      );
      try {
        await serveMonitor(argv, config, store, logger, stop.signal);
      } catch (error) {
        throw storeErrorToCliError(error);
      } finally {
        await store.close();
      }
    } finally {
      stop.dispose();
    }
  },
};

async function serveMonitor(
  argv: MonitorArgs,
  config: ResolvedConfig,
  store: Store,
  logger: Logger,
  stopSignal: Promise<string>,
): Promise<void> {
  const registry = await readRegistry(config, logger);
  const authenticator = store.createApiKeyAuthenticator(apiKeyAuthenticatorOptions(config));
  const host = argv.host ?? config.monitor.host;
  const port = argv.port ?? config.monitor.port;
  const { startMonitorServer } = await import("@grpc-cfg/monitor");
  const { monitorAuditLog, monitorErrorLog } = await import("../serve/monitor-error-log.js");
  const deps = {
    store,
    authenticator,
    registry,
    instanceId: "standalone",
    staleAfterMs: config.instance.staleAfterMs,
    onError: monitorErrorLog(logger.child({ component: "monitor" })),
    onAudit: monitorAuditLog(logger.child({ component: "monitor" })),
  };
  const monitor = await startMonitorServer(deps, { host, port }).catch((error: unknown) => {
    throw new CliError(error instanceof Error ? error.message : String(error), {
      hint: "pick another port with --port (0 = any free port)",
    });
  });
  process.stdout.write(
    `grpc-cfg monitor: ${monitor.url}  (database: ${store.kind} ${store.target})\n` +
      "Sign in with a staff or superuser API key. Ctrl+C stops.\n",
  );
  const signal = await stopSignal;
  process.stdout.write(`\n${signal}: shutting down gracefully…\n`);
  await monitor.close();
  process.stdout.write("grpc-cfg monitor: stopped\n");
}

/** The generated manifest's services, so the dashboard shows methods nobody has called yet. */
async function readRegistry(config: ResolvedConfig, logger: Logger): Promise<ServiceRegistry> {
  try {
    const { loadManifest } = await import("@grpc-cfg/runtime");
    return { services: (await loadManifest(config.generated)).services };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    logger.warn("no service list: the monitor shows services from the request log only", {
      reason,
    });
    return { services: [] };
  }
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * The first stop signal's name, and an AbortSignal aborted with it (ends a wait for the
 * migration lock). `dispose` restores Node's defaults, so a second Ctrl+C during a hung
 * stop still kills.
 */
function listenForStopSignals(): {
  signal: Promise<string>;
  abort: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const handlers: [NodeJS.Signals, () => void][] = [];
  const signal = new Promise<string>((resolve) => {
    for (const name of STOP_SIGNALS) {
      const handler = () => {
        dispose();
        controller.abort(name);
        resolve(name);
      };
      handlers.push([name, handler]);
      process.once(name, handler);
    }
  });
  const dispose = () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
  return { signal, abort: controller.signal, dispose };
}
