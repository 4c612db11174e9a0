import type { RequestLogRecord, RequestLogSink, RequestLogSinkStats } from "@grpc-cfg/runtime";

/**
 * A sink that holds records until its target exists. The database sink stamps rows with the
 * server instance id, and the instance can only register once the port is bound — by which
 * time the server already accepts calls. This bridges those few milliseconds without losing a
 * record; after `bind` it is a plain pass-through.
 */
export class LateBoundSink implements RequestLogSink {
  #target: RequestLogSink | null = null;
  #pending: RequestLogRecord[] = [];

  /** Hands every held record to `target` and forwards all later ones. */
  bind(target: RequestLogSink): void {
    this.#target = target;
    for (const record of this.#pending.splice(0)) target.write(record);
  }

  write(record: RequestLogRecord): void {
    if (this.#target) this.#target.write(record);
    else this.#pending.push(record);
  }

  async flush(): Promise<void> {
    await this.#target?.flush();
  }

  async close(): Promise<void> {
    await this.#target?.close();
  }

  stats(): RequestLogSinkStats {
    const inner = this.#target?.stats?.();
    return {
      queued: (inner?.queued ?? 0) + this.#pending.length,
      dropped: inner?.dropped ?? 0,
      written: inner?.written ?? 0,
    };
  }
}
