// TLS files that grpc-js would only refuse at bind time (as a "cannot listen" error): found
// when the credentials are made, as config errors naming the key. Certificates are made here
// with the openssl binary.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { createServerCredentials } from "./credentials.js";

let dir = "";
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A self-signed certificate `name.pem` with its key `name.key`. */
function selfSigned(name: string): void {
  openssl(
    "req",
    "-x509",
    ...EC,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.pem`,
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
  );
}

/** A certificate signed by ca.pem that was valid in January 2020 only. */
function expired(name: string): void {
  writeFileSync(file("index.txt"), "");
  writeFileSync(file("serial"), "01\n");
  writeFileSync(
    file("ca.cnf"),
    [
      "[ca]",
      "default_ca = own",
      "[own]",
      `dir = ${dir}`,
      "database = $dir/index.txt",
      "new_certs_dir = $dir",
      "serial = $dir/serial",
      "default_md = sha256",
      "policy = any",
      "[any]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  openssl("req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
  openssl(
    "ca",
    "-batch",
    "-notext",
    "-config",
    "ca.cnf",
    "-cert",
    "ca.pem",
    "-keyfile",
    "ca.key",
    "-in",
    `${name}.csr`,
    "-out",
    `${name}.pem`,
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200201000000Z",
  );
}

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
    dir = mkdtempSync(join(tmpdir(), "grpc-cfg-tls-files-"));
    selfSigned("ca");
    selfSigned("server");
    selfSigned("other");
    expired("old");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
