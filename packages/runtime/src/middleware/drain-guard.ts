import type { ServerMiddleware } from "nice-grpc-common";
import { ServerError, Status } from "nice-grpc-common";

/**
 * Refuses calls that arrive while the server drains for shutdown with UNAVAILABLE, so
 * clients retry elsewhere. Sits after the logger, so refused calls are logged too.
 */
export function createDrainGuardMiddleware(isDraining: () => boolean): ServerMiddleware {
  return async function* drainGuard(call, context) {
    if (isDraining()) throw new ServerError(Status.UNAVAILABLE, "Server is shutting down");
    return yield* call.next(call.request, context);
  };
}
