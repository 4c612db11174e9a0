import type { LogFields, Logger } from "../logging/logger.js";

/**
 * `parent.child(bindings)`, built on first use. Every call gets a logger bound to its request
 * id, but most handlers never log: building the child (a handful of closures and a merged
 * bindings object) only when a handler does keeps that cost off the hot path.
 */
export function lazyChildLogger(parent: Logger, bindings: LogFields): Logger {
  let child: Logger | null = null;
  const bound = (): Logger => (child ??= parent.child(bindings));
  return {
    debug: (message, fields) => bound().debug(message, fields),
    info: (message, fields) => bound().info(message, fields),
    warn: (message, fields) => bound().warn(message, fields),
    error: (message, fields) => bound().error(message, fields),
    child: (extra) => bound().child(extra),
  };
}
