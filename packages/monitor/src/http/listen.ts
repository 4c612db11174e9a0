import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";

/** A listening HTTP server. */
export interface RunningHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:50052` (IPv6 hosts in brackets). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting, ends idle keep-alive connections and resolves when closed. */
  close(): Promise<void>;
}

/**
 * Connection limits of the monitor's HTTP server. Node's defaults let a client hold a socket
 * for 60 s sending headers a byte at a time (and 5 min for a body), checked only every 30 s,
 * with no cap on sockets: a few thousand slow clients would exhaust the file descriptors of
 * the process, which is the gRPC server's process too.
 */
export interface HttpLimits {
  /** Time allowed to receive a request's headers (default 10 000 ms). */
  readonly headersTimeoutMs: number;
  /** Time allowed to receive a whole request (default 30 000 ms). */
  readonly requestTimeoutMs: number;
  /** Open sockets at most; more are closed at once (default 512). */
  readonly maxConnections: number;
}

/** The limits {@link listen} applies unless told otherwise. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 512,
};

/** An app that answers fetch requests (a Hono app). */
export interface FetchApp {
  /** `env` is @hono/node-server's `{ incoming, outgoing }` (the peer's address is there). */
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/**
 * Serves `app` on `host:port` (port 0 picks a free one). Rejects with a message naming the
 * address when it cannot bind (in use, not permitted, unknown host).
 */
export function listen(
  app: FetchApp,
  host: string,
  port: number,
  limits: Partial<HttpLimits> = {},
): Promise<RunningHttpServer> {
  const { headersTimeoutMs, requestTimeoutMs, maxConnections } = {
    ...DEFAULT_HTTP_LIMITS,
    ...limits,
  };
  const server = createAdaptorServer({
    fetch: (request, env) => app.fetch(request, env),
    serverOptions: {
      headersTimeout: headersTimeoutMs,
      requestTimeout: Math.max(requestTimeoutMs, headersTimeoutMs),
      // How often Node looks for requests past those timeouts (default 30 s, which would
      // triple a 10 s limit).
      connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
    },
  }) as Server;
  server.maxConnections = maxConnections;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "EADDRINUSE"
          ? "the port is in use"
          : error.code === "EACCES"
            ? "permission denied"
            : error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND"
              ? "no such local address"
              : error.message;
      reject(new Error(`monitor cannot listen on ${host}:${port}: ${why}`, { cause: error }));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        host: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive sockets (browsers, fetch) would hold close() open until they time out.
            server.closeIdleConnections();
          }),
      });
    });
  });
}
