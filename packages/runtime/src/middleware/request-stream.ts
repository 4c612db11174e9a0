/**
 * The request stream a client-streaming or bidi handler reads. nice-grpc's own ends
 * normally when the call's HTTP/2 stream closes, however it closed: a client that cancels,
 * a deadline, a lost connection or a server shutdown look to the handler like the client
 * finishing its input, and its end-of-input code runs on a partial batch. This one throws
 * instead once the call's signal has fired: the signal's reason, a DOMException named
 * `AbortError` (what `signal.throwIfAborted()` throws, and what nice-grpc's `isAbortError`
 * and the error mapping recognise), so the handler's `for await` fails rather than ends.
 *
 * A hand-written iterator, like the response side's `PipelineStream`: one `then` per
 * message, no generator step and no closure per message.
 */
export class RequestStream<T> implements AsyncIterableIterator<T> {
  readonly #inner: AsyncIterator<T>;
  readonly #signal: AbortSignal;

  constructor(inner: AsyncIterable<T>, signal: AbortSignal) {
    this.#inner = inner[Symbol.asyncIterator]();
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    return this.#inner.next().then(this.#onStep);
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    const inner = this.#inner;
    if (inner.return) return inner.return(value);
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    const inner = this.#inner;
    if (inner.throw) return inner.throw(error);
    return Promise.reject(error);
  }

  readonly #onStep = (step: IteratorResult<T>): IteratorResult<T> => {
    // The input ended because the call did (see WireListener.onReceiveHalfClose).
    if (step.done) this.#signal.throwIfAborted();
    return step;
  };
}
