import { createJsonLogger } from "@grpc-cfg/runtime";
import type { Context, MiddlewareHandler } from "hono";
import type { AdminEnv } from "./admin-auth.js";

/** One change requested through the monitor API (create, revoke, rotate a key), whatever came of it. */
export interface MonitorAuditEvent {
  readonly method: string;
  readonly path: string;
  /** The HTTP status it was answered with (401/403 when refused). */
  readonly status: number;
  /** Who asked, when the credential was accepted. */
  readonly user: { readonly id: number; readonly username: string } | null;
  /** The API key they asked with (null for a JWT or the dev secret key, or when refused). */
  readonly apiKeyId: number | null;
  /** The key the change produced or touched, from the response (never its secret). */
  readonly key: { readonly id: number; readonly owner: string | null } | null;
  /** The TCP peer (a proxy's address when behind one). */
  readonly clientAddress: string | null;
}

/** Where audit events go. */
export type MonitorAuditReporter = (event: MonitorAuditEvent) => void;

/** Default: a JSON line on stderr, in the format of the server's own log. */
export function defaultAuditReporter(): MonitorAuditReporter {
  const logger = createJsonLogger({ bindings: { component: "monitor" } });
  return (event) => logger.info("monitor change", { ...event });
}

/**
 * Reports every request that may change something (anything but GET, HEAD and OPTIONS),
 * answered or refused, after it is answered: a key created for another user, revoked or
 * rotated is then attributable to the admin who did it. Nothing secret is reported.
 */
export function auditLog(report: MonitorAuditReporter): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return;
    const identity = c.get("identity") ?? null;
    report({
      method,
      path: c.req.path,
      status: c.res.status,
      user: identity ? { id: identity.user.id, username: identity.user.username } : null,
      apiKeyId: identity?.apiKey?.id ?? null,
      key: c.res.ok ? await keyOf(c.res) : null,
      clientAddress: peerAddress(c),
    });
  };
}

/**
 * The key of a JSON answer: `{ key, secret }` (create, rotate) or the key itself (revoke).
 * Only its id and owner are kept, never the secret.
 */
async function keyOf(response: Response): Promise<MonitorAuditEvent["key"]> {
  if (!response.headers.get("content-type")?.includes("application/json")) return null;
  try {
    type KeyView = { id?: unknown; user?: { username?: unknown } };
    const body = (await response.clone().json()) as KeyView & { key?: KeyView };
    const view = body.key ?? body;
    const owner = view.user?.username;
    return typeof view.id === "number"
      ? { id: view.id, owner: typeof owner === "string" ? owner : null }
      : null;
  } catch {
    return null;
  }
}

/** The socket's remote address under @hono/node-server; null when mounted elsewhere. */
function peerAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}
