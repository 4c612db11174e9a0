import type { CallContext } from "nice-grpc-common";
import type { CallRun } from "./call-run.js";
import type { HandlerContext } from "./service-context.js";

/**
 * The response stream of a server-streaming or bidi call behind the pipeline. A hand-written
 * async iterator instead of an async generator: nice-grpc pulls every message through it, and
 * one `then` per message costs far less than a generator step. It runs the steps before the
 * handler on the first pull, maps errors, and ends the {@link CallRun} exactly once: when the
 * handler's stream finishes, fails, or is closed by nice-grpc (client gone).
 */
export class PipelineStream<T> implements AsyncIterableIterator<T> {
  readonly #run: CallRun;
  readonly #context: CallContext;
  readonly #open: (context: HandlerContext) => AsyncIterator<T>;
  #inner: AsyncIterator<T> | null = null;
  #finished = false;

  /** `open` starts the handler (or the user's `after` middleware) with the handler's context. */
  constructor(
    run: CallRun,
    context: CallContext,
    open: (context: HandlerContext) => AsyncIterator<T>,
  ) {
    this.#run = run;
    this.#context = context;
    this.#open = open;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#finished) return Promise.resolve({ done: true, value: undefined });
    const inner = this.#inner;
    if (inner !== null) return inner.next().then(this.#onStep, this.#onError);
    return new Promise<HandlerContext>((resolve) => resolve(this.#run.enter(this.#context)))
      .then((context) => (this.#inner = this.#open(context)).next())
      .then(this.#onStep, this.#onError);
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    const inner = this.#inner;
    try {
      if (!this.#finished && inner?.return) await inner.return(value);
    } finally {
      this.#finish();
    }
    return { done: true, value: undefined };
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    const inner = this.#inner;
    if (this.#finished || !inner?.throw) return this.#onError(error);
    return inner.throw(error).then(this.#onStep, this.#onError);
  }

  readonly #onStep = (step: IteratorResult<T>): IteratorResult<T> => {
    if (step.done) this.#finish();
    return step;
  };

  readonly #onError = async (error: unknown): Promise<never> => {
    const failure = await this.#run.fail(error, this.#context);
    this.#finish();
    throw failure;
  };

  #finish(): void {
    this.#finished = true;
    this.#run.end(this.#context);
  }
}
