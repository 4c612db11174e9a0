import { isIP } from "node:net";
import { isConnectionErrorCode } from "./sqlstate.js";

/** Where the configured PostgreSQL listens, as its URL says. */
export interface DatabaseEndpoint {
  /**
   * Host name, IP address (IPv6 without brackets, in its shortest form: `::1`), or Unix
   * socket folder, as written in the URL.
   */
  readonly host: string;
  /** Null for a Unix socket folder. */
  readonly port: number | null;
}

const DEFAULT_PORT = 5432;

/**
 * The endpoints of a PostgreSQL URL, postgres.js's several-host form
 * (`postgres://u:p@h1:5432,h2:5433/db`), IPv6 addresses (`[::1]:5432`) and `?host=` (a socket
 * folder or a host) included. Empty when there is no URL (PGlite: no connection to fail) or
 * it cannot be read.
 *
 * The store reads the same URLs in `describe-url.ts` to connect, validating them and refusing
 * what it cannot use; this reader only has to recognise the endpoints in errors and never
 * throws. It lives here because the runtime must not depend on the store.
 */
export function databaseEndpoints(url: string | null | undefined): DatabaseEndpoint[] {
  if (!url) return [];
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(url);
  if (!match) return [];
  const authority = (match[1] ?? "").slice((match[1] ?? "").lastIndexOf("@") + 1);
  const query = new URLSearchParams(match[3] ?? "");
  const queryHost = query.get("host");
  if (queryHost?.startsWith("/")) return [{ host: queryHost, port: null }];
  const defaultPort = Number(query.get("port")) || DEFAULT_PORT;
  // As the store connects: a `?host=` wins, and no host at all means localhost.
  const parts = queryHost ? [queryHost] : authority.split(",").filter((part) => part !== "");
  return (parts.length > 0 ? parts : ["localhost"]).flatMap((part) => {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(part);
    const [host, port] = bracketed
      ? [bracketed[1] as string, bracketed[2]]
      : part === queryHost
        ? [part, undefined]
        : (part.split(":") as [string, string | undefined]);
    const decoded = safeDecode(host);
    if (decoded === null) return [];
    const endpoint = { host: canonicalIPv6(decoded), port: port ? Number(port) : defaultPort };
    return [decoded.startsWith("/") ? { ...endpoint, port: null } : endpoint];
  });
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** `0:0:0:0:0:0:0:1` → `::1`, as node:net writes addresses; anything else as it is. */
function canonicalIPv6(host: string): string {
  if (isIP(host) !== 6) return host;
  try {
    return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return host;
  }
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** A field of a connection error, which postgres.js may give as a list (one per host). */
function values(field: unknown): unknown[] {
  return Array.isArray(field) ? field : field === undefined ? [] : [field];
}

function hostMatches(endpoint: DatabaseEndpoint, address: unknown): boolean {
  if (typeof address !== "string") return false;
  if (canonicalIPv6(address) === endpoint.host) return true;
  // postgres.js names the socket file it tried: `/folder/.s.PGSQL.5432`.
  if (endpoint.host.startsWith("/")) return address.startsWith(`${endpoint.host}/.s.PGSQL.`);
  if (endpoint.host === "localhost") return LOOPBACK.has(address);
  // A host name resolves to addresses we do not know: the port has to decide.
  return isIP(endpoint.host) === 0 && !endpoint.host.startsWith("/");
}

/** True when the failure's address and port (or host name) are those of `endpoint`. */
function towards(endpoint: DatabaseEndpoint, failure: Record<string, unknown>): boolean {
  const ports = values(failure["port"]);
  if (ports.length > 0 && !ports.some((port) => Number(port) === endpoint.port)) return false;
  const addresses = values(failure["address"]);
  if (addresses.length > 0) return addresses.some((address) => hostMatches(endpoint, address));
  // DNS failures (ENOTFOUND) name the host they looked up.
  return values(failure["hostname"]).some((name) => name === endpoint.host);
}

/**
 * True when `error` (or an error in its `cause` chain) is a connection failure (ECONNREFUSED,
 * postgres.js's CONNECTION_CLOSED, …) towards one of `endpoints`: node:net's errors and
 * postgres.js's carry the `address` and `port` they tried. The same codes come from any
 * other client (Redis, HTTP), which must not be reported as the database.
 */
export function isDatabaseConnectionError(
  error: unknown,
  endpoints: readonly DatabaseEndpoint[],
): boolean {
  if (endpoints.length === 0) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const failure = current as Record<string, unknown>;
    const code = failure["code"];
    if (typeof code === "string" && isConnectionErrorCode(code)) {
      return endpoints.some((endpoint) => towards(endpoint, failure));
    }
    current = failure["cause"];
  }
  return false;
}
