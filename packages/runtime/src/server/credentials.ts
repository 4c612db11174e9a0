import { readFileSync } from "node:fs";
import { ServerCredentials } from "@grpc/grpc-js";
import { ConfigError } from "../config/config-error.js";
import type { ResolvedConfig } from "../config/config-types.js";

// A ConfigError, not a plain Error: the path is a config value, and the CLI reports it like
// any other bad field (naming the config file, no stack trace).
function readPem(path: string, what: string, source: string | null): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`server.tls.${what}: cannot read ${path}: ${reason}`], source);
  }
}

/**
 * Server credentials from the TLS config: plaintext without `tls`; TLS from `cert`/`key`;
 * mutual TLS when `requireClientCert` (clients must present a cert signed by `ca`). An
 * unreadable file is a {@link ConfigError} in `source`, the config file.
 */
export function createServerCredentials(
  tls: ResolvedConfig["server"]["tls"],
  source: string | null = null,
): ServerCredentials {
  if (tls === null) return ServerCredentials.createInsecure();
  const cert = readPem(tls.cert, "cert", source);
  const key = readPem(tls.key, "key", source);
  const ca = tls.ca !== undefined ? readPem(tls.ca, "ca", source) : null;
  return ServerCredentials.createSsl(
    ca,
    [{ cert_chain: cert, private_key: key }],
    tls.requireClientCert,
  );
}
