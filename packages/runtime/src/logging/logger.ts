/** Severity of a log entry, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured fields attached to a log entry. Values must be JSON-serialisable. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The server-side logger the runtime writes to (never the client). Pluggable: pass your own
 * implementation to `createServer`; the default is {@link createJsonLogger}.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every entry (e.g. the request id). */
  child(bindings: LogFields): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /** Entries below this level are dropped. Default `info`. */
  readonly level?: LogLevel;
  /** Where lines go. Default: `process.stderr.write`. */
  readonly write?: (line: string) => void;
  /** Fields added to every entry. */
  readonly bindings?: LogFields;
}

/** Turns an Error (with its cause chain) into plain JSON, keeping the stack for the server log. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out["code"] = code;
  if (error.stack) out["stack"] = error.stack;
  if (error.cause !== undefined && depth < 5) out["cause"] = serializeError(error.cause, depth + 1);
  return out;
}

function toJsonLine(record: Record<string, unknown>): string {
  return JSON.stringify(record, (_key, value: unknown) =>
    value instanceof Error
      ? serializeError(value)
      : typeof value === "bigint"
        ? value.toString()
        : value,
  );
}

/**
 * A JSON-lines logger: one `{"time","level","msg",...fields}` object per line, to stderr by
 * default. Errors in fields are serialised with their stack and cause chain.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const minRank = LEVEL_RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const bindings = options.bindings ?? {};
  const log =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LEVEL_RANK[level] < minRank) return;
      const line = toJsonLine({
        time: new Date().toISOString(),
        level,
        msg: message,
        ...bindings,
        ...fields,
      });
      write(line + "\n");
    };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (extra) => createJsonLogger({ ...options, bindings: { ...bindings, ...extra } }),
  };
}

/** A logger that drops everything (for tests and embedding). */
export function createSilentLogger(): Logger {
  const noop = (): void => {};
  const logger: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return logger;
}
