// TLS files that grpc-js would only refuse at bind time (as a "cannot listen" error): found
// when the credentials are made, as config errors naming the key. Certificates are made here
// with the openssl binary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { createServerCredentials } from "./credentials.js";
import { TestCertificates } from "./testdata/tls-certificates.js";

let certs: TestCertificates;
const file = (name: string) => certs.file(name);

function configErrorOf(tls: Parameters<typeof createServerCredentials>[0]): string {
  try {
    createServerCredentials(tls, "/app/grpc-cfg.config.ts");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("the credentials were accepted");
}

describe("TLS files checked when the server is created", () => {
  beforeAll(() => {
    // Self-signed ones (a CA is one) and one signed by `ca` that expired in 2020.
    certs = new TestCertificates("grpc-cfg-tls-files-").ca("ca").ca("server").ca("other");
    certs.expired("old");
  });
  afterAll(() => certs.remove());

  const tls = (cert: string, key: string, ca?: string) => ({
    cert: file(cert),
    key: file(key),
    ...(ca ? { ca: file(ca) } : {}),
    requireClientCert: ca !== undefined,
    reloadInterval: "60s",
  });

  it("accepts a certificate with its own key, and a CA file with a certificate", () => {
    expect(() => createServerCredentials(tls("server.pem", "server.key", "ca.pem"))).not.toThrow();
  });

  it("names server.tls.key when the key belongs to another certificate", () => {
    expect(configErrorOf(tls("server.pem", "other.key"))).toContain(
      `server.tls.key: the key in ${file("other.key")} does not belong to the certificate in ${file("server.pem")}`,
    );
  });

  it("names both keys when the cert and key files are swapped", () => {
    const message = configErrorOf(tls("server.key", "server.pem"));
    expect(message).toContain(
      `server.tls.cert: no usable PEM certificate in ${file("server.key")}`,
    );
    expect(message).toContain(`server.tls.key: no usable PEM private key in ${file("server.pem")}`);
    expect(message).not.toMatch(/cannot listen|--port/);
  });

  it("refuses a CA file that holds no certificate", () => {
    expect(configErrorOf(tls("server.pem", "server.key", "server.key"))).toContain(
      `server.tls.ca: no certificate in ${file("server.key")}`,
    );
  });

  it("warns about an expired server certificate, and still starts", () => {
    const warnings: { message: string; fields: unknown }[] = [];
    createServerCredentials(tls("old.pem", "old.key"), null, {
      warn: (message, fields) => warnings.push({ message, fields }),
      info: () => {},
    });
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(
          /server certificate \(server\.tls\.cert\) expired on 2020-02-01/,
        ),
        fields: expect.objectContaining({
          cert: file("old.pem"),
          validTo: "2020-02-01T00:00:00.000Z",
        }),
      },
    ]);
  });
});
