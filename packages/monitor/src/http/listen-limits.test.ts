import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type RunningHttpServer } from "./listen.js";

const app = { fetch: () => new Response("ok") };
let server: RunningHttpServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

/** A socket to the server; resolves once connected. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
    sockets.push(socket);
  });
}

/** Resolves with what the server sent and when it closed, in ms after `start`. */
function closed(socket: Socket, start: number): Promise<{ text: string; afterMs: number }> {
  let text = "";
  socket.on("data", (chunk) => (text += String(chunk)));
  return new Promise((resolve) =>
    socket.on("close", () => resolve({ text, afterMs: Date.now() - start })),
  );
}

describe("monitor HTTP connection limits", () => {
  // Before, Node's defaults held a slowloris socket ~60-90 s (headersTimeout 60 s, checked
  // every 30 s) with no cap on sockets, in the gRPC server's own process.
  it("answers 408 and closes a client that sends its headers too slowly (default 10 s)", async () => {
    server = await listen(app, "127.0.0.1", 0);
    const socket = await open(server.port);
    const start = Date.now();
    const done = closed(socket, start);
    socket.write("GET /api/health/live HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => socket.write("x-slow: 1\r\n"), 500);
    const { text, afterMs } = await done;
    clearInterval(drip);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(9_000);
    expect(afterMs).toBeLessThan(12_500);
  }, 20_000);

  it("closes sockets past maxConnections at once and serves again when they go", async () => {
    server = await listen(app, "127.0.0.1", 0, { maxConnections: 2 });
    await open(server.port);
    await open(server.port);
    const extra = await open(server.port);
    const { afterMs } = await closed(extra, Date.now());
    expect(afterMs).toBeLessThan(1_000);
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const response = await fetch(`${server.url}/`);
    expect(await response.text()).toBe("ok");
  });
});
