import type { LogFields, Logger } from "../logging/logger.js";

/**
 * `parent.child(bindings)`, built on first use. Every call gets a logger bound to its request
 * id, but most handlers never log: building the child (a handful of closures and a merged
 * bindings object) only when a handler does keeps that cost off the hot path. A class, so a
 * call pays for one small object rather than five closures.
 */
export class LazyChildLogger implements Logger {
  readonly #parent: Logger;
  readonly #bindings: LogFields;
  #child: Logger | null = null;

  constructor(parent: Logger, bindings: LogFields) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #bound(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings));
  }

  debug(message: string, fields?: LogFields): void {
    this.#bound().debug(message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#bound().info(message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#bound().warn(message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#bound().error(message, fields);
  }

  child(extra: LogFields): Logger {
    return this.#bound().child(extra);
  }
}
