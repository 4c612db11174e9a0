import { ListenError } from "@grpc-cfg/runtime";
import { CliError } from "../util/cli-error.js";

/** The settings that move each of `serve`'s listeners, and how to do without one. */
const LISTENERS = {
  grpc: { label: "", settings: "--port, PORT or server.port", otherwise: "" },
  monitor: {
    label: " (monitor)",
    settings: "--monitor-port, MONITOR_PORT or monitor.port",
    otherwise: ", or pass --no-monitor",
  },
} as const;

/**
 * A {@link ListenError} as the one line and hint `serve` prints: `cannot listen on
 * 0.0.0.0:50051: address already in use`, and what to change. Anything else is left as is.
 */
export function listenErrorToCliError(error: unknown, listener: keyof typeof LISTENERS): unknown {
  if (!(error instanceof ListenError)) return error;
  const { label, settings, otherwise } = LISTENERS[listener];
  const hint =
    error.code === "EADDRINUSE"
      ? `another process is using the port: stop it, or choose another with ${settings} (0 picks a free one)${otherwise}`
      : error.code === "EACCES"
        ? `this user may not listen on that port (below 1024 needs privileges): choose another with ${settings}${otherwise}`
        : `check the host (--host, HOST or server.host) and the port (${settings})${otherwise}`;
  return new CliError(`${error.message}${label}`, { hint, cause: error });
}
