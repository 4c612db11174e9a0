import type { CallContext, MethodDescriptor, ServerMiddleware } from "nice-grpc-common";
import { composeServerMiddleware } from "nice-grpc-common";
import { isAsyncIterable } from "./is-async-iterable.js";

/** A method implementation as nice-grpc calls it. */
export type MethodHandler = (request: unknown, context: CallContext) => unknown;

/** Runs the user's `after` middleware around a handler, as nice-grpc would. */
export type AfterChain = (
  request: unknown,
  context: CallContext,
) => AsyncGenerator<unknown, unknown, undefined>;

/**
 * The user's `after` middleware (they run between the pipeline and the handler) composed
 * around `handler`, with the same contract nice-grpc gives middleware: `call.next` yields the
 * handler's messages and returns its single response. Null when there is none, so the
 * pipeline calls the handler directly.
 */
export function composeAfterChain(
  after: readonly ServerMiddleware<object, object>[],
  method: MethodDescriptor,
  handler: MethodHandler,
): AfterChain | null {
  const first = after[0];
  if (first === undefined) return null;
  const chain = after
    .slice(1)
    .reduce<ServerMiddleware<object, object>>(
      (composed, next) => composeServerMiddleware(composed, next),
      first,
    );
  const next = handlerAsNext(method, handler);
  return (request, context) =>
    chain(
      {
        method,
        requestStream: method.requestStream,
        responseStream: method.responseStream,
        request,
        next,
      } as never,
      context,
    ) as AsyncGenerator<unknown, unknown, undefined>;
}

/** The innermost `next`: the handler as an async generator, checked like nice-grpc does. */
function handlerAsNext(method: MethodDescriptor, handler: MethodHandler) {
  const kind = method.requestStream ? "a stream of messages" : "a single message";
  const checkRequest = (request: unknown): void => {
    if (isAsyncIterable(request) !== method.requestStream) {
      throw new Error(`A middleware passed invalid request to next(): expected ${kind}`);
    }
  };
  if (method.responseStream) {
    return async function* (request: unknown, context: CallContext) {
      checkRequest(request);
      yield* handler(request, context) as AsyncIterable<unknown>;
    };
  }
  return async function* (request: unknown, context: CallContext) {
    checkRequest(request);
    return await handler(request, context);
  };
}

/** The single response of a unary or client-streaming chain (nice-grpc's own checks). */
export async function singleResponse(
  iterator: AsyncGenerator<unknown, unknown, undefined>,
): Promise<unknown> {
  let result = await iterator.next();
  for (;;) {
    if (!result.done) {
      result = await iterator.throw(
        new Error("A middleware yielded a message, but expected to only return a message"),
      );
      continue;
    }
    if (result.value == null) {
      result = await iterator.throw(
        new Error("A middleware returned void, but expected to return a message"),
      );
      continue;
    }
    return result.value;
  }
}
