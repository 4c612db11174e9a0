import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";

/** The PEM files of `server.tls`, read, with the paths they came from. */
export interface TlsFiles {
  readonly cert: { readonly path: string; readonly pem: Buffer };
  readonly key: { readonly path: string; readonly pem: Buffer };
  readonly ca: { readonly path: string; readonly pem: Buffer } | null;
}

/** What {@link checkTlsFiles} found: refusals (config errors) and warnings for the log. */
export interface TlsFileFindings {
  /** One line per problem, each starting with the config key (`server.tls.key: …`). */
  readonly problems: string[];
  /** The certificate is outside its validity dates: clients will refuse it. */
  readonly warnings: { message: string; fields: Record<string, unknown> }[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Checks the files as grpc-js will use them, before it does: grpc-js only finds a bad file
 * when the server binds, and its error ("key values mismatch", "no start line") then reads as
 * a listen problem. Here each problem names the config key and the file.
 */
export function checkTlsFiles(files: TlsFiles, now = new Date()): TlsFileFindings {
  const problems: string[] = [];
  const warnings: TlsFileFindings["warnings"] = [];
  const { cert, key, ca } = files;

  // The same call, with the same options, as the TLS server grpc-js starts: what passes here
  // binds there. Each file alone first, so a failure names the file at fault.
  const certOk = accepted({ cert: cert.pem }, (why) =>
    problems.push(`server.tls.cert: no usable PEM certificate in ${cert.path} (${why})`),
  );
  const keyOk = accepted({ key: key.pem }, (why) =>
    problems.push(`server.tls.key: no usable PEM private key in ${key.path} (${why})`),
  );
  if (certOk && keyOk) {
    accepted({ cert: cert.pem, key: key.pem }, (why) =>
      problems.push(
        /key values mismatch/i.test(why)
          ? `server.tls.key: the key in ${key.path} does not belong to the certificate in ` +
              `${cert.path} (server.tls.cert)`
          : `server.tls.key: ${key.path} cannot be used with server.tls.cert ${cert.path} (${why})`,
      ),
    );
  }
  const certificate = certOk ? firstCertificate(cert.pem) : null;
  if (ca) {
    const blocks = ca.pem.toString("latin1").match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) problems.push(`server.tls.ca: no certificate in ${ca.path}`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (error) {
        problems.push(`server.tls.ca: an unreadable certificate in ${ca.path} (${reason(error)})`);
        break;
      }
    }
  }
  if (certificate) {
    const validFrom = new Date(certificate.validFrom);
    const validTo = new Date(certificate.validTo);
    const fields = {
      cert: cert.path,
      subject: certificate.subject,
      validFrom: validFrom.toISOString(),
      validTo: validTo.toISOString(),
    };
    if (validTo < now) {
      warnings.push({
        message: `the server certificate (server.tls.cert) expired on ${validTo.toISOString()}: clients will refuse it`,
        fields,
      });
    } else if (validFrom > now) {
      warnings.push({
        message: `the server certificate (server.tls.cert) is not valid before ${validFrom.toISOString()}: clients will refuse it until then`,
        fields,
      });
    }
  }
  return { problems, warnings };
}

/**
 * What the log may say about a certificate (the first of a PEM chain): subject, issuer,
 * serial, validity and SHA-256 fingerprint. Null when `pem` holds no readable certificate.
 */
export function describeCertificate(pem: Buffer): Record<string, string> | null {
  const certificate = firstCertificate(pem);
  if (certificate === null) return null;
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    fingerprint256: certificate.fingerprint256,
  };
}

/** True when Node's TLS accepts `options`; otherwise reports OpenSSL's reason. */
function accepted(
  options: { cert?: Buffer; key?: Buffer },
  report: (reason: string) => void,
): boolean {
  try {
    createSecureContext(options);
    return true;
  } catch (error) {
    report(reason(error));
    return false;
  }
}

/** The first (the server's own) certificate of a PEM chain, for its dates. */
function firstCertificate(pem: Buffer): X509Certificate | null {
  const first = pem.toString("latin1").match(PEM_CERTIFICATE)?.[0];
  try {
    return first === undefined ? null : new X509Certificate(first);
  } catch {
    return null;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
