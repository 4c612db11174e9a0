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

/**
 * `openssl req -x509` for a one-day certificate `<name>.crt` with its key `<name>.key` in
 * `dir`: self-signed (a CA) without `signing`, else signed by the CA named in it (OpenSSL
 * 3's `-CA`) with the given extension.
 */
function makeCert(dir: string, name: string, signing?: { ca: string; extension: string }): void {
  const signedBy = signing
    ? ["-CA", `${signing.ca}.crt`, "-CAkey", `${signing.ca}.key`, "-addext", signing.extension]
    : [];
  openssl(dir, [
    "req",
    "-x509",
    ...EC_KEY,
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
    ...signedBy,
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
    makeCert(dir, "ca");
    makeCert(dir, "otherca");
    makeCert(dir, "server", { ca: "ca", extension: "subjectAltName=IP:127.0.0.1,DNS:localhost" });
    makeCert(dir, "client", { ca: "ca", extension: "extendedKeyUsage=clientAuth" });
    makeCert(dir, "rogue", { ca: "otherca", extension: "extendedKeyUsage=clientAuth" });
    const pair = (name: string): CertPair => ({
      cert: readFileSync(join(dir, `${name}.crt`)),
      key: readFileSync(join(dir, `${name}.key`)),
    });
    return { ca: pair("ca"), server: pair("server"), client: pair("client"), rogue: pair("rogue") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
