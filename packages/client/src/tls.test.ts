import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamicClient, GrpcCallError } from "./index.js";
import { ECHO_SERVICE, startEchoServer } from "./testdata/echo-server.js";
import type { EchoServer } from "./testdata/echo-server.js";
import { createSelfSignedCert } from "./testdata/self-signed-cert.js";
import type { SelfSignedCert } from "./testdata/self-signed-cert.js";

describe("TLS", () => {
  let cert: SelfSignedCert;
  let server: EchoServer;
  beforeAll(async () => {
    cert = createSelfSignedCert();
    server = await startEchoServer({ tls: cert });
  });
  afterAll(async () => {
    await server.close();
  });

  it("calls through TLS when the server certificate is trusted", async () => {
    const client = createDynamicClient(server.address, { tls: { ca: cert.cert } });
    try {
      const result = await client.invoke(`${ECHO_SERVICE}/Echo`, { note: { text: "secure" } });
      if (result.kind !== "unary") throw new Error("expected unary");
      expect(result.response).toMatchObject({ note: { text: "secure" } });
    } finally {
      client.close();
    }
  });

  it("refuses an untrusted certificate, and plaintext to a TLS server fails", async () => {
    for (const tls of [true, false]) {
      const client = createDynamicClient(server.address, { tls, deadline: 3000 });
      try {
        const error = await client.listServices().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GrpcCallError);
        expect((error as GrpcCallError).codeName).toBe("UNAVAILABLE");
      } finally {
        client.close();
      }
    }
  });
});
