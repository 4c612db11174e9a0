/** Where the store reports what it does in the background (flush retries, dropped logs…). */
export interface StoreLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Default logger: warnings and errors to stderr, nothing else. */
export const stderrLogger: StoreLogger = {
  warn: (message, fields) => write("warn", message, fields),
  error: (message, fields) => write("error", message, fields),
};

function write(level: string, message: string, fields?: Record<string, unknown>): void {
  const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
  process.stderr.write(`[grpc-cfg/store] ${level}: ${message}${suffix}\n`);
}

/** Logger that discards everything (tests, scripts). */
export const silentLogger: StoreLogger = { warn: () => {}, error: () => {} };
