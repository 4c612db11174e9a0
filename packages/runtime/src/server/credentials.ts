import { readFileSync } from "node:fs";
import { experimental, ServerCredentials } from "@grpc/grpc-js";
import { ConfigError } from "../config/config-error.js";
import type { ResolvedConfig } from "../config/config-types.js";
import type { Logger } from "../logging/logger.js";
import { TlsFileProvider } from "./tls-file-provider.js";
import { checkTlsFiles } from "./tls-files.js";
import type { TlsFiles } from "./tls-files.js";
import { DEFAULT_TLS_RELOAD_INTERVAL, parseTlsReloadInterval } from "./tls-reload-interval.js";

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
 *
 * Unless `reloadInterval` is off, the files are checked again on that interval and a new
 * good set is served to new connections (see {@link TlsFileProvider}); a bad one is logged
 * and not installed.
 */
export function createServerCredentials(
  tls: ResolvedConfig["server"]["tls"],
  source: string | null = null,
  logger?: Pick<Logger, "warn" | "info">,
): ServerCredentials {
  if (tls === null) return ServerCredentials.createInsecure();
  const intervalMs = parseTlsReloadInterval(tls.reloadInterval ?? DEFAULT_TLS_RELOAD_INTERVAL);
  if (typeof intervalMs !== "number") {
    throw new ConfigError([`server.tls.reloadInterval: ${intervalMs.error}`], source);
  }
  const cert = readPem(tls.cert, "cert", source);
  const key = readPem(tls.key, "key", source);
  const ca = tls.ca !== undefined ? readPem(tls.ca, "ca", source) : null;
  const files: TlsFiles = {
    cert: { path: tls.cert, pem: cert },
    key: { path: tls.key, pem: key },
    ca: ca === null || tls.ca === undefined ? null : { path: tls.ca, pem: ca },
  };
  const findings = checkTlsFiles(files);
  if (findings.problems.length > 0) throw new ConfigError(findings.problems, source);
  for (const warning of findings.warnings) logger?.warn(warning.message, warning.fields);
  if (intervalMs === 0) {
    return ServerCredentials.createSsl(
      ca,
      [{ cert_chain: cert, private_key: key }],
      tls.requireClientCert,
    );
  }
  // The CA only matters when client certificates are asked for (as with createSsl above), so
  // only then is it watched: an unused file must not hold back a new server certificate.
  const provider = new TlsFileProvider({
    initial: tls.requireClientCert ? files : { ...files, ca: null },
    intervalMs,
    logger,
  });
  // grpc-js 1.14 declares the parameters as (caProvider, identityProvider) but uses the
  // first as the identity and the second as the CA (nullable) provider. One provider serves
  // both, so the order only decides whether the CA is watched at all.
  return experimental.createCertificateProviderServerCredentials(
    provider,
    tls.requireClientCert ? provider : null,
    tls.requireClientCert,
  );
}
