import { StoreError } from "../errors.js";

/** The parts of a PostgreSQL URL that are safe to show: never the password. */
export interface UrlTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** `host:port/database`, for messages. */
  readonly display: string;
}

/**
 * Parses a `postgres://` / `postgresql://` URL far enough to name it in messages. Throws a
 * {@link StoreError} for something that is not such a URL — without echoing it, since it
 * may hold a password.
 */
export function describePostgresUrl(url: string): UrlTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      "misconfigured",
      "database URL is not a valid URL; expected postgres://user:password@host:5432/database",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new StoreError(
      "misconfigured",
      `database URL has scheme "${parsed.protocol.replace(/:$/, "")}"; expected postgres:// or postgresql://`,
    );
  }
  const host = decodeURIComponent(
    parsed.hostname || parsed.searchParams.get("host") || "localhost",
  );
  const port = Number(parsed.port || parsed.searchParams.get("port") || 5432);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres";
  const user = decodeURIComponent(parsed.username);
  return { host, port, database, user, display: `${host}:${port}/${database}` };
}
