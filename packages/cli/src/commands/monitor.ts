// Types only at the top: every command module loads on each CLI start, and the monitor and
// runtime are heavy; the handler imports them.
import type { ServiceRegistry } from "@grpc-cfg/monitor";
import type { ResolvedConfig } from "@grpc-cfg/runtime";
import type { CommandModule } from "yargs";
import { apiKeyAuthenticatorOptions } from "../serve/authenticators.js";
import { CliError } from "../util/cli-error.js";
import { withStore } from "./store/store-args.js";

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
          "Exit status: 0 stopped by SIGINT/SIGTERM, 1 could not start.",
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
    await withStore(
      argv,
      async (store, config) => {
        const registry = await readRegistry(config);
        const authenticator = store.createApiKeyAuthenticator(apiKeyAuthenticatorOptions(config));
        const host = argv.host ?? config.monitor.host;
        const port = argv.port ?? config.monitor.port;
        const deps = {
          store,
          authenticator,
          registry,
          instanceId: "standalone",
          staleAfterMs: config.instance.staleAfterMs,
        };
        const { startMonitorServer } = await import("@grpc-cfg/monitor");
        const monitor = await startMonitorServer(deps, { host, port }).catch((error: unknown) => {
          throw new CliError(error instanceof Error ? error.message : String(error), {
            hint: "pick another port with --port (0 = any free port)",
          });
        });
        process.stdout.write(
          `grpc-cfg monitor: ${monitor.url}  (database: ${store.kind} ${store.target})\n` +
            "Sign in with a staff or superuser API key. Ctrl+C stops.\n",
        );
        await waitForSignal();
        await monitor.close();
        // It signs people in, with the dev secret key too when the config enables it.
      },
      { usesSecretKey: true },
    );
  },
};

/** The generated manifest's services, so the dashboard shows methods nobody has called yet. */
async function readRegistry(config: ResolvedConfig): Promise<ServiceRegistry> {
  try {
    const { loadManifest } = await import("@grpc-cfg/runtime");
    return { services: (await loadManifest(config.generated)).services };
  } catch (error) {
    process.stderr.write(
      `warning: no service list (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); ` +
        "the monitor shows services from the request log only\n",
    );
    return { services: [] };
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
