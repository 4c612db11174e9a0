import type { ServerMiddleware } from "nice-grpc-common";
import { toServerError } from "../errors/map-error.js";
import type { Logger } from "../logging/logger.js";
import type { CallStateExt, RequestIdExt } from "./call-state.js";
import { deadlinePassed } from "./call-outcome.js";

/**
 * Maps whatever the handler (or "after" middleware) throws to a proper gRPC status; see
 * {@link toServerError}. Unexpected errors become INTERNAL with a generic message, logged in
 * full on the server.
 */
export function createErrorMappingMiddleware(
  logger: Logger,
): ServerMiddleware<{}, CallStateExt & RequestIdExt> {
  return async function* errorMapping(call, context) {
    try {
      return yield* call.next(call.request, context);
    } catch (error) {
      throw toServerError(error, {
        requestId: context.requestId,
        path: call.method.path,
        route: context.callState.route,
        logger,
        deadlineExceeded: deadlinePassed(context.callState.deadline),
      });
    }
  };
}
