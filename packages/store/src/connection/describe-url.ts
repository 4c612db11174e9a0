import { StoreError } from "../errors.js";

/** The parts of a PostgreSQL URL that are safe to show: never the password. */
export interface UrlTarget {
  /** Host name or address (an IPv6 one without brackets: `::1`); for a Unix socket, its folder. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The socket file (`/var/run/postgresql/.s.PGSQL.5432`) when connecting through one. */
  readonly socket: string | null;
  /** `host:port` (`[::1]:5432`), or `socket /folder/.s.PGSQL.5432`, for messages. */
  readonly where: string;
  /** `host:port/database`, or `/folder/.s.PGSQL.5432 (database name)`, for messages. */
  readonly display: string;
}

/** How to hand a URL to postgres.js: the URL it can read, and options it cannot read from one. */
export interface DriverUrl {
  readonly target: UrlTarget;
  /** The URL without the parts taken out into `options` (password and other parameters kept). */
  readonly url: string;
  /**
   * `host`/`port` options when the URL says them in a way postgres.js does not read: a socket
   * folder as a string (postgres.js derives the socket path from it), a TCP host and port as
   * one-element lists, which postgres.js takes as already split (it splits a string host on
   * `:`, which would cut an IPv6 address apart).
   */
  readonly options: {
    readonly host?: string | readonly [string];
    readonly port?: number | readonly [number];
  };
}

const EXPECTED = "expected postgres://user:password@host:5432/database";

/**
 * libpq parameters postgres.js does not know: it would send them to the server as runtime
 * settings ("unrecognized configuration parameter"), so they are refused before connecting,
 * with what to do instead.
 */
const UNSUPPORTED_PARAMETERS: Readonly<Record<string, string>> = {
  sslrootcert:
    "to trust a private CA, give its certificate file in NODE_EXTRA_CA_CERTS and use " +
    "sslmode=verify-full (sslrootcert=system is supported: the system's CAs)",
  sslcert:
    "client certificates cannot be configured; use password authentication " +
    "(sslmode=require or verify-full encrypts the connection)",
  sslkey:
    "client certificates cannot be configured; use password authentication " +
    "(sslmode=require or verify-full encrypts the connection)",
  sslpassword: "client certificates cannot be configured; use password authentication",
  sslcrl: "certificate revocation lists cannot be configured",
  sslcrldir: "certificate revocation lists cannot be configured",
  passfile: "give the password in the URL (percent-encoded) or in PGPASSWORD",
  service: "write host, port, database and user in the URL itself",
  hostaddr: "give the address as the URL's host",
};

/**
 * Reads a PostgreSQL URL the way the docs describe it (docs/configuration.md, "The database
 * URL"), and says how postgres.js must be given it. Throws a {@link StoreError}
 * `misconfigured` for a URL it cannot use, without echoing it (it may hold a password).
 *
 * postgres.js is not libpq: it takes the host only from the URL's authority (a `?host=`
 * parameter would be sent to the server as a setting, and a percent-encoded socket folder
 * would be looked up in DNS), and it connects through a Unix socket only when given a `host`
 * option holding a path. Both socket forms are therefore turned into that option here. It
 * also cuts a host at its first `:`, so an IPv6 address (`[::1]:5432`) goes as options too.
 * Several hosts (`h1:5432,h2:5433`) are refused: when all of them are down, postgres.js
 * retries forever instead of failing a query, which would hang start-up and every call that
 * needs the database.
 */
export function driverUrl(url: string): DriverUrl {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/is.exec(url);
  if (!match) throw misconfigured(`database URL is not a valid URL; ${EXPECTED}`);
  const [, scheme = "", authority = "", path = "", query = ""] = match;
  if (scheme !== "postgres" && scheme !== "postgresql") {
    throw misconfigured(
      `database URL has scheme "${scheme}"; expected postgres:// or postgresql://`,
    );
  }
  const at = authority.lastIndexOf("@");
  const userInfo = at === -1 ? null : authority.slice(0, at);
  const hostPort = authority.slice(at + 1);
  if (hostPort.includes(",")) {
    throw misconfigured(
      "database URL lists several hosts; grpc-cfg connects to one: give the address of the " +
        "primary (a DNS name or a proxy that follows failovers)",
    );
  }
  const params = new URLSearchParams(query);
  for (const name of new Set(params.keys())) {
    const instead = UNSUPPORTED_PARAMETERS[name];
    if (instead === undefined || (name === "sslrootcert" && params.get(name) === "system")) {
      continue;
    }
    throw misconfigured(
      `database URL parameter "${name}" is not supported (the PostgreSQL driver is ` +
        `postgres.js, not libpq): ${instead}`,
    );
  }
  const { host: urlHost, port: urlPort, bracketed } = splitHostPort(hostPort);
  const queryHost = params.get("host");
  const queryPort = params.get("port");
  const host = queryHost || urlHost || "localhost";
  const port = parsePort(queryPort ?? urlPort);
  const socket = host.startsWith("/") ? `${host.replace(/\/+$/, "")}/.s.PGSQL.${port}` : null;

  params.delete("host");
  params.delete("port");
  const rest = params.toString();
  // With a socket, the authority's host is a placeholder postgres.js parses and then ignores.
  const driverHost = socket !== null || hostPort === "" ? "localhost" : hostPort;
  const driver =
    `${scheme}://${userInfo === null ? "" : `${userInfo}@`}${driverHost}${path}` +
    (rest === "" ? "" : `?${rest}`);
  let parsed: URL;
  try {
    parsed = new URL(driver);
  } catch {
    throw misconfigured(`database URL is not a valid URL; ${EXPECTED}`);
  }
  const database = safeDecode(parsed.pathname.replace(/^\//, "")) || "postgres";
  const user = safeDecode(parsed.username);
  const where = socket !== null ? `socket ${socket}` : `${bracketIPv6(host)}:${port}`;
  const target: UrlTarget = {
    host,
    port,
    database,
    user,
    socket,
    where,
    display: socket !== null ? `${socket} (database ${database})` : `${where}/${database}`,
  };
  const options: DriverUrl["options"] =
    socket !== null
      ? { host, port }
      : queryHost || queryPort !== null || bracketed
        ? { host: [host], port: [port] }
        : {};
  return { target, url: driver, options };
}

/** `[::1]` for an IPv6 address, as URLs and `host:port` messages write it; others unchanged. */
function bracketIPv6(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** `host:port`, `[v6]:port` or a percent-encoded socket folder, decoded. */
function splitHostPort(hostPort: string): {
  host: string;
  port: string | null;
  bracketed: boolean;
} {
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(hostPort);
  if (v6) return { host: safeDecode(v6[1] ?? ""), port: v6[2] ?? null, bracketed: true };
  const colon = hostPort.lastIndexOf(":");
  const [host, port] =
    colon === -1 ? [hostPort, null] : [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
  return { host: safeDecode(host), port, bracketed: false };
}

function parsePort(text: string | null): number {
  if (text === null || text === "") return 5432;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65_535)) {
    throw misconfigured(`database URL has an invalid port; ${EXPECTED}`);
  }
  return port;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw misconfigured(`database URL has a bad percent-encoding; ${EXPECTED}`);
  }
}

function misconfigured(message: string): StoreError {
  return new StoreError("misconfigured", message);
}
