/** Test helper: a TCP proxy in front of PostgreSQL that a test can cut and restore (a real outage). */
import { createServer, connect, type Server, type Socket } from "node:net";

/** A proxy listening on 127.0.0.1:`port`, forwarding to `target`. */
export interface TcpProxy {
  readonly port: number;
  /** Stops accepting and kills every open connection: clients see the server vanish. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy to `host:port` on a free local port. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = (listenPort: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(port, host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      next.once("error", reject);
      next.listen(listenPort, "127.0.0.1", () => {
        server = next;
        const address = next.address();
        resolve(typeof address === "object" && address ? address.port : listenPort);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  const proxyPort = await listen(0);
  return {
    port: proxyPort,
    cut: stop,
    restore: async () => {
      await listen(proxyPort);
    },
    close: stop,
  };
}

/** Starts a proxy in front of the PostgreSQL at `url`; returns it and the URL through it. */
export async function proxyPostgres(url: string): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: target.toString() };
}
