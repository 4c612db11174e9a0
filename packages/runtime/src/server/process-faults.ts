import type { Logger } from "../logging/logger.js";
import { serializeError } from "../logging/logger.js";

/** Options of {@link handleProcessFaults}. */
export interface ProcessFaultOptions {
  /** Where both kinds of fault are logged, at `error` with their stack. */
  readonly logger: Logger;
  /**
   * Called once, on the first uncaught exception: stop the server gracefully (its calls
   * drained or cancelled, its log records flushed) and exit with a non-zero code. Later
   * uncaught exceptions, while that stop runs, are only logged.
   */
  readonly onUncaughtException: (error: unknown) => void;
}

/** What {@link handleProcessFaults} installed. */
export interface ProcessFaultHandlers {
  /** Unhandled promise rejections seen (logged and survived) so far. */
  readonly unhandledRejections: number;
  /** Removes both handlers: Node's defaults apply again. */
  remove(): void;
}

/**
 * Keeps one handler's mistake from taking every call of the process with it. By default Node
 * exits at once on a promise rejection nobody handles (`Promise.reject()` not awaited, a
 * rejected promise dropped in a handler) and on an exception thrown outside any call (in a
 * timer, an event listener): every other call in flight is lost, along with the request-log
 * records still queued, and the server's instance is left `running` until it turns stale.
 *
 * With these handlers an unhandled rejection is logged and counted, and the process goes on:
 * the rejection belongs to work nobody waits for, and the calls in flight are sound. An
 * uncaught exception is logged, then `onUncaughtException` stops the server gracefully: the
 * code that threw was interrupted half-way, so the process is not trusted to go on, but its
 * calls and records are. `grpc-cfg serve` installs them; a library does not touch process-wide
 * handlers, so an application embedding the server calls this itself (or installs its own).
 */
export function handleProcessFaults(options: ProcessFaultOptions): ProcessFaultHandlers {
  const { logger } = options;
  let unhandledRejections = 0;
  let stopping = false;
  const onRejection = (reason: unknown): void => {
    unhandledRejections++;
    logger.error("unhandled promise rejection (the server keeps serving)", {
      error: serializeError(reason),
    });
  };
  const onException = (error: unknown): void => {
    if (stopping) {
      logger.error("uncaught exception while stopping", { error: serializeError(error) });
      return;
    }
    stopping = true;
    logger.error("uncaught exception; stopping the server gracefully", {
      error: serializeError(error),
    });
    options.onUncaughtException(error);
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return {
    get unhandledRejections() {
      return unhandledRejections;
    },
    remove() {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    },
  };
}
