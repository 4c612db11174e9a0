import type { Server } from "nice-grpc";
import type { RequestLogSink } from "../contracts/request-log.js";
import type { Logger } from "../logging/logger.js";
import { serializeError } from "../logging/logger.js";
import type { CallTracker } from "../middleware/call-tracker.js";
import type { CallTerminator, ServerHealth } from "./health.js";

/** What {@link createShutdown} orchestrates. */
export interface ShutdownParts {
  readonly server: Server;
  readonly health: ServerHealth;
  readonly terminator: CallTerminator;
  readonly tracker: CallTracker;
  readonly sinks: readonly RequestLogSink[];
  readonly logger: Logger;
  readonly graceMs: number;
  readonly startDraining: () => void;
}

// After a forced shutdown, handlers that ignore their signal may still be finishing; wait
// this long at most for their log records before flushing the sinks.
const RECORD_SETTLE_MS = 2_000;

// Longest wait for the UNAVAILABLE statuses of interrupted calls to go out before the
// connections are closed (a client that reads nothing would hold them back forever).
const STATUS_FLUSH_MS = 250;

// The flush gets the grace period too, but at least this long (the grace may be 0).
const MIN_FLUSH_MS = 1_000;

const EXPIRED = Symbol("expired");

/** `work`'s result, or {@link EXPIRED} when it takes longer than `ms` (it runs on). */
async function within<T>(ms: number, work: Promise<T>): Promise<T | typeof EXPIRED> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Builds the idempotent graceful-shutdown function of a server. */
export function createShutdown(parts: ShutdownParts): (reason?: string) => Promise<void> {
  let running: Promise<void> | null = null;
  const run = async (reason: string): Promise<void> => {
    const { server, health, terminator, tracker, sinks, logger, graceMs } = parts;
    logger.info("shutting down", { reason, inFlight: tracker.active, graceMs });
    health.setAll(false);
    parts.startDraining();
    // Let open health Watch streams send NOT_SERVING before they are ended.
    await tick();
    await tick();
    terminator.terminate();
    const drained = server.shutdown();
    const outcome = await within(graceMs, drained);
    if (outcome === EXPIRED) {
      logger.warn("grace period over; cancelling remaining calls", { inFlight: tracker.active });
      tracker.startCancelling();
      // Closing the connections would reach clients as CANCELLED, which they take for their
      // own giving up and do not retry: answer each call UNAVAILABLE first, and let the
      // connections close by themselves once those statuses are out, or close them after a
      // moment (a client that reads nothing would hold them back).
      if (tracker.interruptRunning() > 0) await within(STATUS_FLUSH_MS, drained);
      server.forceShutdown();
    }
    if (!(await tracker.idle(RECORD_SETTLE_MS))) {
      // Handlers that ignore their signal: their records go out now, not after the sinks close.
      const abandoned = tracker.abandonRunning();
      logger.warn(
        "handlers still running after cancellation; their calls are logged as cancelled",
        {
          calls: abandoned,
        },
      );
    }
    // A sink writing to a database that is down would retry until it came back, and an
    // orchestrator would SIGKILL the process meanwhile: wait as long as for the calls, then
    // go on. Whoever closes the sink reports what it could not write.
    const flushMs = Math.max(graceMs, MIN_FLUSH_MS);
    const flushed = await within(flushMs, Promise.allSettled(sinks.map((sink) => sink.flush())));
    if (flushed === EXPIRED) {
      const queued = sinks.reduce((sum, sink) => sum + (sink.stats?.().queued ?? 0), 0);
      logger.error("request logs not written within the grace period; stopping anyway", {
        queued,
        waitedMs: flushMs,
      });
    } else {
      for (const result of flushed) {
        if (result.status === "rejected") {
          logger.error("flushing a request log sink failed", {
            error: serializeError(result.reason),
          });
        }
      }
    }
    logger.info("server stopped", { reason });
  };
  return (reason = "shutdown requested") => (running ??= run(reason));
}
