import type { Authenticator, Credential, Identity } from "@grpc-cfg/runtime";
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
  const result = await authenticator.authenticate(credential);
  if (!result) throw new ApiError("unauthorized", "the API key is not recognised");
  if (!result.ok) throw new ApiError("unauthorized", result.reason);
  if (!isAdmin(result.identity)) {
    throw new ApiError("forbidden", "this API key's user is not staff or superuser");
  }
  return result.identity;
}

/** Middleware that runs {@link requireAdmin} and stores the identity for the handler. */
export function adminAuth(authenticator: Authenticator) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    c.set("identity", await requireAdmin(authenticator, c.req.raw.headers));
    await next();
  });
}
