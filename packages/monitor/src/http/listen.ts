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

/** An app that answers fetch requests (a Hono app). */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * Serves `app` on `host:port` (port 0 picks a free one). Rejects with a message naming the
 * address when it cannot bind (in use, not permitted, unknown host).
 */
export function listen(app: FetchApp, host: string, port: number): Promise<RunningHttpServer> {
  const server = createAdaptorServer({ fetch: (request) => app.fetch(request) }) as Server;
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
