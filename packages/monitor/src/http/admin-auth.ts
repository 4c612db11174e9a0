import type { AuthResult, Authenticator, Credential, Identity } from "@grpc-cfg/runtime";
import { createMiddleware } from "hono/factory";
import { ApiError } from "./errors.js";

/** Hono environment of admin routes: the checked identity is in `c.var.identity`. */
export interface AdminEnv {
  Variables: { identity: Identity };
}

/**
 * Reads the credential from `x-api-key` or `authorization: Bearer …`. Returns null when
 * neither header is present; throws a 401 for a malformed authorization header.
 */
export function readCredential(headers: Headers): Credential | null {
  const apiKey = headers.get("x-api-key")?.trim();
  if (apiKey) return { source: "api-key", value: apiKey };
  const authorization = headers.get("authorization")?.trim();
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match?.[1]) {
    throw new ApiError(
      "unauthorized",
      "the authorization header must be `Bearer <api key>`",
      "authorization",
    );
  }
  return { source: "bearer", value: match[1] };
}

/** True for users allowed to use the monitor: active staff or superusers. */
export function isAdmin(identity: Identity): boolean {
  const { user } = identity;
  return user.isActive && (user.isStaff || user.isSuperuser);
}

/**
 * Resolves the caller through `authenticator` and requires an admin: no or bad credential →
 * 401, a valid key of a non-admin user → 403. The credential itself never reaches a log or
 * an error message.
 */
export async function requireAdmin(
  authenticator: Authenticator,
  headers: Headers,
): Promise<Identity> {
  const credential = readCredential(headers);
  if (!credential) {
    throw new ApiError(
      "unauthorized",
      "an admin API key is required: send it in `x-api-key` or `authorization: Bearer`",
    );
  }
  const result = await authenticateOr503(authenticator, credential);
  if (!result) throw new ApiError("unauthorized", "the API key is not recognised");
  if (!result.ok) throw new ApiError("unauthorized", result.reason);
  if (!isAdmin(result.identity)) {
    throw new ApiError("forbidden", "this API key's user is not staff or superuser");
  }
  return result.identity;
}

/**
 * Runs the authenticator. It throws when its backend fails (a key it has not cached needs
 * the database, whatever the database's error: unreachable, or dropped): that is a 503
 * saying so, not a 500, and the cause goes to the server log.
 * A nice-grpc `ServerError` (the lookup queue is full) carries a message meant for clients.
 */
async function authenticateOr503(
  authenticator: Authenticator,
  credential: Credential,
): Promise<AuthResult | null> {
  try {
    return await authenticator.authenticate(credential);
  } catch (error) {
    if (error instanceof Error && error.name === "ServerError" && "details" in error) {
      throw new ApiError("unavailable", String(error.details));
    }
    throw new ApiError(
      "unavailable",
      "the credential cannot be checked now: the database (or, for a JWT, its key set) is " +
        "unavailable; try again shortly",
      undefined,
      { cause: error },
    );
  }
}

/** Middleware that runs {@link requireAdmin} and stores the identity for the handler. */
export function adminAuth(authenticator: Authenticator) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    c.set("identity", await requireAdmin(authenticator, c.req.raw.headers));
    await next();
  });
}
