import { readFileSync } from "node:fs";
import { ChannelCredentials } from "@grpc/grpc-js";
import { createChannel, createClient } from "nice-grpc";
import { ClientError } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";
import { startTestServer } from "../testdata/support/harness.js";
import { createServerCredentials } from "./credentials.js";
import { TestCertificates } from "./testdata/tls-certificates.js";

const certs = new TestCertificates("grpc-cfg-tls-");
const file = (name: string) => certs.file(name);

async function echoOver(port: number, credentials: ChannelCredentials): Promise<string> {
  const channel = createChannel(`127.0.0.1:${port}`, credentials);
  try {
    const response = await createClient(TestServiceDefinition, channel).echo({ message: "secure" });
    return response.message;
  } finally {
    channel.close();
  }
}

describe("TLS and mutual TLS from cert paths", () => {
  beforeAll(() => {
    certs.ca("ca", "test-ca").issue("server", "localhost").issue("client", "test-client");
  });
  afterAll(() => certs.remove());

  it("serves TLS; a client trusting the CA connects", async () => {
    const t = await startTestServer({
      config: { server: { tls: { cert: file("server.pem"), key: file("server.key") } } },
    });
    try {
      const ca = readFileSync(file("ca.pem"));
      expect(await echoOver(t.port, ChannelCredentials.createSsl(ca))).toBe("secure");
      expect(t.server.describe()).toMatchObject({ tls: true, mutualTls: false });
    } finally {
      await t.close();
    }
  });

  it("mTLS refuses a client without a certificate and accepts one with it", async () => {
    const t = await startTestServer({
      config: {
        server: {
          tls: {
            cert: file("server.pem"),
            key: file("server.key"),
            ca: file("ca.pem"),
            requireClientCert: true,
          },
        },
      },
    });
    try {
      const ca = readFileSync(file("ca.pem"));
      const refused = await echoOver(t.port, ChannelCredentials.createSsl(ca)).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ClientError);
      const withCert = ChannelCredentials.createSsl(
        ca,
        readFileSync(file("client.key")),
        readFileSync(file("client.pem")),
      );
      expect(await echoOver(t.port, withCert)).toBe("secure");
    } finally {
      await t.close();
    }
  });

  it("names an unreadable certificate file", async () => {
    await expect(
      startTestServer({
        config: { server: { tls: { cert: file("missing.pem"), key: file("server.key") } } },
      }),
    ).rejects.toThrow(/server\.tls\.cert: cannot read .*missing\.pem/);
  });

  it("reports an unreadable file as a config error in the config file", () => {
    const tls = {
      cert: file("server.pem"),
      key: file("nope.key"),
      requireClientCert: false,
      reloadInterval: "60s",
    };
    let error: unknown;
    try {
      createServerCredentials(tls, "/app/grpc-cfg.config.ts");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).source).toBe("/app/grpc-cfg.config.ts");
    expect((error as ConfigError).message).toMatch(
      /^Invalid configuration in \/app\/grpc-cfg\.config\.ts:\n {2}- server\.tls\.key: cannot read .*nope\.key: ENOENT/,
    );
  });
});
