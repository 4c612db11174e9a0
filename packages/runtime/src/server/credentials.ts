import { readFileSync } from "node:fs";
import { ServerCredentials } from "@grpc/grpc-js";
import { ConfigError } from "../config/config-error.js";
import type { ResolvedConfig } from "../config/config-types.js";
import type { Logger } from "../logging/logger.js";
import { checkTlsFiles } from "./tls-files.js";

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
 * mutual TLS when `requireClientCert` (clients must present a cert signed by `ca`). A file
 * that cannot be read or used (not PEM, a key that does not belong to the certificate, a
 * `ca` with no certificate) is a {@link ConfigError} in `source`, the config file; a
 * certificate outside its validity dates is a warning on `logger`.
 */
export function createServerCredentials(
  tls: ResolvedConfig["server"]["tls"],
  source: string | null = null,
  logger?: Pick<Logger, "warn">,
): ServerCredentials {
  if (tls === null) return ServerCredentials.createInsecure();
  const cert = readPem(tls.cert, "cert", source);
  const key = readPem(tls.key, "key", source);
  const ca = tls.ca !== undefined ? readPem(tls.ca, "ca", source) : null;
  const findings = checkTlsFiles({
    cert: { path: tls.cert, pem: cert },
    key: { path: tls.key, pem: key },
    ca: ca === null || tls.ca === undefined ? null : { path: tls.ca, pem: ca },
  });
  if (findings.problems.length > 0) throw new ConfigError(findings.problems, source);
  for (const warning of findings.warnings) logger?.warn(warning.message, warning.fields);
  return ServerCredentials.createSsl(
    ca,
    [{ cert_chain: cert, private_key: key }],
    tls.requireClientCert,
  );
}
