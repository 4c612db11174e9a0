import { createServer } from "node:net";

/** `host:port`, with an IPv6 host in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The server could not bind its address: the port is taken, or not this process's to take. */
export class ListenError extends Error {
  override readonly name = "ListenError";

  /**
   * @param code Node's error code (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, …), if known.
   * @param reason What went wrong, in words (`address already in use`).
   */
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string | null,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot listen on ${formatHostPort(host, port)}: ${reason}`, options);
  }
}

// Node: "listen EADDRINUSE: address already in use 0.0.0.0:51201". grpc-js lists those in
// "No address added out of total 1 resolved errors: [listen EADDRINUSE: …]".
const LISTEN_FAILURE = /\blisten (E[A-Z]+): (.+?)(?: \S+:\d+)?(?:[,\]]|$)/;

/** A bind failure (Node's `listen` error, or grpc-js's summary of some) as a {@link ListenError}. */
export function toListenError(error: unknown, host: string, port: number): ListenError {
  const message = error instanceof Error ? error.message : String(error);
  const match = LISTEN_FAILURE.exec(message);
  const ownCode = (error as { code?: unknown } | null)?.code;
  const code = match?.[1] ?? (typeof ownCode === "string" ? ownCode : null);
  return new ListenError(host, port, code, match?.[2] ?? message, { cause: error });
}

/**
 * Binds `host:port` with a throw-away socket and lets it go again: a {@link ListenError} when
 * that fails. grpc-js reports a failed bind with a log line of its own before its error, and
 * so the one line that says what is wrong would come second; this finds the problem first.
 * Port 0 is always free. Not for a cluster worker: its bind goes through the primary.
 */
export async function probeListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error) => reject(toListenError(error, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
