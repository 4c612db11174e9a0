import type { User } from "../contracts/identity.js";
import type { AuthenticatedContext } from "../context/service-context.js";
import { BaseService } from "./base-service.js";

/**
 * Base of services whose every method requires an authenticated caller. The auth middleware
 * refuses anonymous calls before the handler runs, so handlers receive an
 * {@link AuthenticatedContext} whose `user` is never null.
 */
export abstract class AuthRequiredService extends BaseService {
  /** The caller (always present in this service's handlers). */
  currentUser(ctx: AuthenticatedContext): User {
    return ctx.user;
  }
}
