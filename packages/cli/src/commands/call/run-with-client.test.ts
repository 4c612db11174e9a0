// How `grpc-cfg call` reports UNAVAILABLE, through the built CLI: the "is a gRPC server
// listening?" hint only when grpc-js could not reach a server, never after a server answered.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_SERVICE, startEchoServer } from "../../../../client/src/testdata/echo-server.js";
import type { EchoServer } from "../../../../client/src/testdata/echo-server.js";
import { runCli as run } from "../testdata/cli-process.js";

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer();
});

afterAll(() => server.close());

/** A port on 127.0.0.1 that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("grpc-cfg call: UNAVAILABLE", () => {
  it("a server's own UNAVAILABLE is printed without the connection hint", async () => {
    // The second is what a proxy says when its upstream is down: grpc-js's wording, yet
    // the server at the address did answer.
    for (const message of [
      "Authentication backend unavailable",
      "No connection established. Last error: connect ECONNREFUSED 10.0.0.7:50051",
    ]) {
      const result = await run([
        "call",
        server.address,
        `${ECHO_SERVICE}/Fail`,
        "-d",
        JSON.stringify({ code: 14, message }),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`ERROR: UNAVAILABLE (14): ${message}\n`);
    }
  });

  it("nothing listening at the address: the hint asks whether a server is", async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const result = await run(["call", address, `${ECHO_SERVICE}/Echo`, "--deadline", "10s"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR: UNAVAILABLE \(14\): No connection established\. .*ECONNREFUSED/,
    );
    expect(result.stderr).toContain(
      `\nhint: is a gRPC server listening on ${address}? (--tls if it uses TLS)\n`,
    );
  });
});
