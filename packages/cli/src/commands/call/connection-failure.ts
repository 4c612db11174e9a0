import type { GrpcCallError } from "@grpc-cfg/client";

const UNAVAILABLE = 14;

/**
 * How grpc-js (1.14) words the UNAVAILABLE statuses it makes itself when it cannot reach a
 * server: pick-first's "No connection established. Last error: …" (refused, TLS mismatch,
 * not an HTTP/2 server), the resolver's "Name resolution failed for target …" and
 * "Failed to parse DNS address …", and "Connection dropped". A server may send UNAVAILABLE
 * too ("Authentication backend unavailable"): it is up, so it gets no "is a server
 * listening?" hint.
 */
const CONNECTION_FAILURE =
  /^(?:No connection established\b|Name resolution failed for target |Failed to parse DNS address |Connection dropped$)/;

/**
 * True when the failed call never reached a server. Besides the wording, a status made by
 * grpc-js carries no metadata, while a server's (say, a proxy passing on its own upstream's
 * "No connection established") comes with at least its response headers in a
 * trailers-only response.
 */
export function isConnectionFailure(error: GrpcCallError): boolean {
  return (
    error.code === UNAVAILABLE &&
    CONNECTION_FAILURE.test(error.statusMessage) &&
    Object.keys(error.trailers).length === 0
  );
}

/**
 * A connection failure's message made readable: grpc-js ends it with "Resolution note: "
 * even when it has no note, and an OpenSSL error arrives as
 * `<hex>:error:<hex>:SSL routines:<function>:<reason>:<source file>:<line>:` plus a newline.
 */
export function readableStatusMessage(error: GrpcCallError): string {
  if (!isConnectionFailure(error)) return error.statusMessage;
  return error.statusMessage
    .replace(/\b[0-9A-F]+:error:[0-9A-F]+:[^:\n]*:[^:\n]*:([^:\n]+):[^\n]*\n?/g, "$1")
    .replace(/\s*Resolution note:\s*$/, "");
}

/** What the person at the terminal asked for, as far as the hint needs it. */
export interface ConnectionTarget {
  /** host:port as typed (or from $GRPC_CFG_ADDRESS). */
  readonly address: string;
  /** Whether the call used TLS (--tls, --cacert, --cert/--key or --servername). */
  readonly tls: boolean;
  /** --servername, if given. */
  readonly servername: string | undefined;
  /** Whether a client certificate (--cert/--key) was offered. */
  readonly clientCert: boolean;
  /** The client's receive limit in bytes (--max-msg-size, or grpc-js's default). */
  readonly maxMsgSize: number;
}

/**
 * The hint for a call that never reached a server. TLS failures say which flag fixes them;
 * the user who passed --tls needs no "--tls if it uses TLS".
 */
export function connectionFailureHint(error: GrpcCallError, target: ConnectionTarget): string {
  const { address } = target;
  const message = error.statusMessage;
  if (!target.tls) return `is a gRPC server listening on ${address}? (--tls if it uses TLS)`;
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/.test(message)) {
    const name = target.servername ?? hostOf(address);
    return (
      `the server's certificate is not issued for ${name}: give a name it is issued for ` +
      "with --servername NAME (see the altnames above)"
    );
  }
  if (/certificate has expired|CERT_HAS_EXPIRED/i.test(message)) {
    return "the server's certificate has expired (or this machine's clock is wrong)";
  }
  if (
    /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|certificate signature failure/i.test(
      message,
    )
  ) {
    return (
      "the server's certificate is not trusted: give the CA certificate that signed it with " +
      "--cacert FILE (for a self-signed certificate, the certificate itself)"
    );
  }
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return `the server at ${address} does not seem to use TLS: leave out --tls and the other TLS flags`;
  }
  if (target.clientCert) {
    // A Node (grpc-js) server that refuses a client certificate closes the connection right
    // after the TLS 1.3 handshake, without an alert, so the client sees only "failed to connect".
    return (
      `is a gRPC server with TLS listening on ${address}? If there is one, it may have refused ` +
      "the client certificate (--cert): is it signed by a CA the server trusts, and still valid?"
    );
  }
  return `is a gRPC server with TLS listening on ${address}?`;
}

const RESOURCE_EXHAUSTED = 8;

/**
 * The hint for a response this client refused as too large. grpc-js words its own refusal
 * like a server's ("Received message larger than max (N vs LIMIT)"); the client's carries no
 * metadata and names the client's limit.
 */
export function messageSizeHint(
  error: GrpcCallError,
  target: ConnectionTarget,
): string | undefined {
  if (error.code !== RESOURCE_EXHAUSTED || Object.keys(error.trailers).length > 0) return undefined;
  const match = /^Received message larger than max \((\d+) vs (\d+)\)$/.exec(error.statusMessage);
  if (!match || Number(match[2]) !== target.maxMsgSize) return undefined;
  return (
    `this client refused a response of ${match[1]} bytes: its limit is ${target.maxMsgSize} ` +
    `bytes; raise it with --max-msg-size ${match[1]} (or more)`
  );
}

/** The host part of host:port or [v6]:port. */
function hostOf(address: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  const colon = address.lastIndexOf(":");
  return colon > 0 && address.indexOf(":") === colon ? address.slice(0, colon) : address;
}
