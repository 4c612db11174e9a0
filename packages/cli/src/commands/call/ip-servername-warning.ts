/** Node's code for "Setting the TLS ServerName to an IP address is not permitted by RFC 6066". */
const IP_SERVERNAME_WARNING = "DEP0123";

let silenced = false;

/**
 * Keeps Node's DEP0123 deprecation warning off the terminal. grpc-js (1.14) always passes the
 * target's host to `tls.connect` as `servername`, with no option to leave it out, so every TLS
 * call to an IP address (`--cacert ca.pem 127.0.0.1:50051`) printed two lines of noise about
 * a choice the user did not make. The certificate is still checked against the IP address.
 * Only that one warning is dropped; the CLI owns its process, so patching `emitWarning` here
 * touches nobody else.
 */
export function silenceIpServernameWarning(): void {
  if (silenced) return;
  silenced = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (warningCode(warning, rest) === IP_SERVERNAME_WARNING) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

/** The code of an `emitWarning(warning, type, code)` or `emitWarning(warning, { code })` call. */
function warningCode(warning: string | Error, rest: readonly unknown[]): unknown {
  const [second, third] = rest;
  if (typeof second === "object" && second !== null) return (second as { code?: unknown }).code;
  if (third !== undefined) return third;
  return warning instanceof Error ? (warning as { code?: unknown }).code : undefined;
}
