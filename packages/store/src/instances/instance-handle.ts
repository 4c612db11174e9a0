import { describeDbError } from "../errors.js";
import type { StoreLogger } from "../logger.js";
import type { InstancesRepository, ServerInstanceRecord } from "./instances-repository.js";

/**
 * A registered server's side of its row: heartbeats on a timer (unref'd, so it never keeps
 * the process alive) and the shutdown states. Heartbeat failures are logged, not thrown.
 */
export class InstanceHandle {
  /** The instance id (uuid); pass it to the request log sink as `instanceId`. */
  readonly id: string;
  /** The row as registered. */
  readonly registered: ServerInstanceRecord;
  readonly #repository: InstancesRepository;
  readonly #logger: StoreLogger;
  #timer: NodeJS.Timeout | null;

  constructor(
    record: ServerInstanceRecord,
    repository: InstancesRepository,
    logger: StoreLogger,
    heartbeatMs: number,
  ) {
    this.id = record.id;
    this.registered = record;
    this.#repository = repository;
    this.#logger = logger;
    this.#timer = setInterval(() => void this.heartbeat(), heartbeatMs);
    this.#timer.unref();
  }

  /** Writes a heartbeat now. Resolves false (and logs) when the database is unreachable. */
  async heartbeat(): Promise<boolean> {
    try {
      await this.#repository.heartbeat(this.id);
      return true;
    } catch (error) {
      this.#logger.warn("server instance heartbeat failed", {
        id: this.id,
        error: describeDbError(error),
      });
      return false;
    }
  }

  /** Marks the instance as shutting down (heartbeats continue while it drains). */
  async markStopping(): Promise<void> {
    await this.#repository.setStatus(this.id, "stopping");
  }

  /** Stops heartbeats and marks the instance stopped. */
  async markStopped(): Promise<void> {
    this.stopHeartbeat();
    await this.#repository.setStatus(this.id, "stopped");
  }

  /** Stops the heartbeat timer without touching the row (e.g. when the database is gone). */
  stopHeartbeat(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
