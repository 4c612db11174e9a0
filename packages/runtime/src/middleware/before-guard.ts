import type { CallContext, MethodDescriptor, ServerMiddleware } from "nice-grpc-common";
import { toServerError } from "../errors/map-error.js";
import { CallRun } from "./call-run.js";
import type { PipelineSteps } from "./call-run.js";
import type { RouteInfo } from "./call-state.js";
import { pickRequestId } from "./request-id.js";

/**
 * The nice-grpc middleware that goes outside the user's `before` middleware, so what they
 * throw is mapped and logged like everything else: a concurrency limit's refusal is exactly
 * the call an operator wants to see in the request log.
 *
 * The built-in steps wrap each handler (see `createCallPipeline`) and so run inside `before`
 * middleware; an error thrown before a middleware calls `next` never reaches them. This
 * middleware then runs a {@link CallRun} for the refusal alone: it claims the call from the
 * wire, maps the error and writes the call's one log record, with no identity. It also pins
 * the call's wire token on the context, so a `before` middleware that replaces the metadata
 * does not cut the call off from its wire record. It exists only when there is `before`
 * middleware, so servers without any pay nothing for it.
 */
export function createBeforeGuard(
  steps: PipelineSteps,
  routeOf: (path: string) => RouteInfo | null,
): ServerMiddleware<object, object> {
  async function refusal(
    error: unknown,
    method: MethodDescriptor,
    context: CallContext,
  ): Promise<unknown> {
    // Mapped and logged by the call's own run already.
    if (typeof error === "object" && error !== null && steps.failures.has(error)) return error;
    const route = routeOf(method.path);
    if (!steps.outcomes.isUnclaimed(context)) {
      // The call's run has finished (a `before` middleware threw after `next` returned): its
      // record takes the status from the wire, so this one only needs mapping.
      return toServerError(error, {
        requestId: pickRequestId(context),
        path: method.path,
        route,
        logger: steps.logger,
        deadlineExceeded: false,
        signal: context.signal,
        databaseEndpoints: steps.databaseEndpoints,
      });
    }
    const run = new CallRun(steps, route, method, context);
    try {
      return await run.fail(error, context);
    } finally {
      run.end(context);
    }
  }

  return async function* beforeGuard(call, context) {
    steps.outcomes.pin(context);
    try {
      return yield* call.next(call.request, context);
    } catch (error) {
      throw await refusal(error, call.method, context);
    }
  };
}
