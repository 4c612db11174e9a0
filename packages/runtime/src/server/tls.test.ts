import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChannelCredentials } from "@grpc/grpc-js";
import { createChannel, createClient } from "nice-grpc";
import { ClientError } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";
import { startTestServer } from "../testdata/support/harness.js";
import { createServerCredentials } from "./credentials.js";

let dir = "";
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function issue(name: string, cn: string): void {
  openssl("req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
  writeFileSync(file(`${name}.ext`), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl(
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    "1",
    "-extfile",
    `${name}.ext`,
  );
}

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
    dir = mkdtempSync(join(tmpdir(), "grpc-cfg-tls-"));
    openssl(
      "req",
      "-x509",
      ...EC,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "1",
      "-subj",
      "/CN=test-ca",
    );
    issue("server", "localhost");
    issue("client", "test-client");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    const tls = { cert: file("server.pem"), key: file("nope.key"), requireClientCert: false };
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
