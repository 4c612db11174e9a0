import { readFileSync } from "node:fs";
import { ServerCredentials } from "@grpc/grpc-js";
import type { ResolvedConfig } from "../config/config-types.js";

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`server.tls.${what}: cannot read ${path}: ${reason}`);
  }
}

/**
 * Server credentials from the TLS config: plaintext without `tls`; TLS from `cert`/`key`;
 * mutual TLS when `requireClientCert` (clients must present a cert signed by `ca`).
 */
export function createServerCredentials(tls: ResolvedConfig["server"]["tls"]): ServerCredentials {
  if (tls === null) return ServerCredentials.createInsecure();
  const cert = readPem(tls.cert, "cert");
  const key = readPem(tls.key, "key");
  const ca = tls.ca !== undefined ? readPem(tls.ca, "ca") : null;
  return ServerCredentials.createSsl(
    ca,
    [{ cert_chain: cert, private_key: key }],
    tls.requireClientCert,
  );
}
