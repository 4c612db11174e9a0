// Throwaway certificates for mutual TLS tests, made with the system's openssl so no private
// key is ever committed: a CA, a server certificate for 127.0.0.1 and a client certificate
// it signed, and a client certificate signed by another CA.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A PEM certificate and its private key. */
export interface CertPair {
  cert: Buffer;
  key: Buffer;
}

/** Everything a mutual TLS test needs. */
export interface MtlsCerts {
  ca: CertPair;
  server: CertPair;
  /** Signed by `ca`. */
  client: CertPair;
  /** Signed by a CA the server does not trust. */
  rogue: CertPair;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A self-signed CA, written as `<name>.crt` / `<name>.key` in `dir`. */
function makeCa(dir: string, name: string): void {
  openssl(dir, [
    "req",
    "-x509",
    ...EC_KEY,
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
  ]);
}

/** A certificate signed by the CA `ca` (OpenSSL 3's `req -x509 -CA`). */
function makeSigned(dir: string, name: string, ca: string, extension: string): void {
  openssl(dir, [
    "req",
    "-x509",
    ...EC_KEY,
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-addext",
    extension,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
  ]);
}

/** Creates fresh mutual TLS certificates. */
export function createMtlsCerts(): MtlsCerts {
  const dir = mkdtempSync(join(tmpdir(), "grpc-cfg-mtls-"));
  try {
    makeCa(dir, "ca");
    makeCa(dir, "otherca");
    makeSigned(dir, "server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    makeSigned(dir, "client", "ca", "extendedKeyUsage=clientAuth");
    makeSigned(dir, "rogue", "otherca", "extendedKeyUsage=clientAuth");
    const pair = (name: string): CertPair => ({
      cert: readFileSync(join(dir, `${name}.crt`)),
      key: readFileSync(join(dir, `${name}.key`)),
    });
    return { ca: pair("ca"), server: pair("server"), client: pair("client"), rogue: pair("rogue") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
