// server.connections on a real server, seen by a raw HTTP/2 client: the SETTINGS frame it
// receives and the GOAWAY that ends an aged or idle connection.
import { connect, type ClientHttp2Session } from "node:http2";
import { describe, expect, it } from "vitest";
import type { ConnectionsConfig } from "../index.js";
import { startTestServer } from "../testdata/support/harness.js";

/** What one raw HTTP/2 connection to the server saw within `watchMs`. */
async function watchConnection(
  port: number,
  watchMs: number,
  during?: (session: ClientHttp2Session) => void,
): Promise<{ maxConcurrentStreams: number | undefined; goawayAfterMs: number | null }> {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  const opened = performance.now();
  const settings = new Promise<number | undefined>((resolve) =>
    session.once("remoteSettings", (received) => resolve(received.maxConcurrentStreams)),
  );
  const goaway = new Promise<number | null>((resolve) => {
    session.once("goaway", () => resolve(performance.now() - opened));
    setTimeout(() => resolve(null), watchMs);
  });
  during?.(session);
  const result = { maxConcurrentStreams: await settings, goawayAfterMs: await goaway };
  session.destroy();
  return result;
}

async function withServer<T>(
  connections: ConnectionsConfig,
  run: (port: number) => Promise<T>,
): Promise<T> {
  const t = await startTestServer({ config: { server: { connections } } });
  try {
    return await run(t.port);
  } finally {
    await t.close();
  }
}

describe("server.connections", () => {
  it("sets no limit by default: no stream cap announced, connections live on", async () => {
    const seen = await withServer({}, (port) => watchConnection(port, 800));
    // Node announces its own default (2^32 − 1) or nothing; either way not a real cap.
    expect(seen.maxConcurrentStreams ?? 2 ** 32 - 1).toBeGreaterThan(1_000_000);
    expect(seen.goawayAfterMs).toBeNull();
  });

  it("announces maxConcurrentStreams in the HTTP/2 settings", async () => {
    const seen = await withServer({ maxConcurrentStreams: 7 }, (port) =>
      watchConnection(port, 100),
    );
    expect(seen.maxConcurrentStreams).toBe(7);
  });

  it("sends GOAWAY once a connection reaches maxAgeMs, however active the client keeps it", async () => {
    const seen = await withServer({ maxAgeMs: 300 }, (port) =>
      watchConnection(port, 3_000, (session) => {
        // Pings every 50 ms: the age limit, unlike an idle one, must not care.
        const keepBusy = setInterval(() => {
          if (session.closed || session.destroyed) return clearInterval(keepBusy);
          session.ping(() => {});
        }, 50);
        session.once("close", () => clearInterval(keepBusy));
      }),
    );
    // grpc-js jitters the age by ±10 %.
    expect(seen.goawayAfterMs).not.toBeNull();
    expect(seen.goawayAfterMs!).toBeGreaterThanOrEqual(250);
    expect(seen.goawayAfterMs!).toBeLessThan(1_500);
  });

  it("sends GOAWAY to a connection that carries no call for maxIdleMs", async () => {
    const seen = await withServer({ maxIdleMs: 300 }, (port) => watchConnection(port, 3_000));
    expect(seen.goawayAfterMs).not.toBeNull();
    expect(seen.goawayAfterMs!).toBeGreaterThanOrEqual(250);
  });

  it("rejects bad limits with the field's name", async () => {
    const error = await startTestServer({
      config: { server: { connections: { maxConcurrentStreams: 0 } } },
    }).catch((caught: unknown) => caught);
    expect(String(error)).toContain("server.connections.maxConcurrentStreams");
  });
});
