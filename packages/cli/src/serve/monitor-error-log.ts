import type { MonitorAuditReporter } from "@grpc-cfg/monitor";
import type { Logger } from "@grpc-cfg/runtime";

/** What the monitor reports: the failed request and the error (see `MonitorErrorReporter`). */
type MonitorErrorReporter = (error: unknown, request: { method: string; path: string }) => void;

/**
 * The monitor's error reporter for `serve`: one JSON line in the server log per failed
 * request, with the error's `cause` chain, where the driver's reason is (ECONNREFUSED,
 * "too many connections"). A failed query's message and stack carry its parameters (an API
 * key's hash, a user name), which stay out of the log.
 */
export function monitorErrorLog(logger: Logger): MonitorErrorReporter {
  return (error, request) =>
    logger.error("monitor request failed", {
      method: request.method,
      path: request.path,
      error: describeError(error, 0),
    });
}

/**
 * The monitor's audit reporter for `serve` and `grpc-cfg monitor`: one `monitor change` line
 * per change asked of the API (who, with which key, on which key; never a secret), at
 * `logging.level` like every other line of the server log.
 */
export function monitorAuditLog(logger: Logger): MonitorAuditReporter {
  return (event) => logger.info("monitor change", { ...event });
}

function describeError(error: unknown, depth: number): unknown {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const withParameters = /\nparams: /.exec(error.message);
  const out: Record<string, unknown> = {
    name: error.name,
    message: withParameters ? error.message.slice(0, withParameters.index) : error.message,
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    ...(withParameters || !error.stack ? {} : { stack: error.stack }),
  };
  if (error.cause !== undefined && depth < 5) out["cause"] = describeError(error.cause, depth + 1);
  return out;
}
