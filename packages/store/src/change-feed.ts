import type { Database } from "@grpc-cfg/runtime";
import { sql } from "drizzle-orm";
import type { Connection } from "./connection/connection.js";
import type { StoreLogger } from "./logger.js";

/** PostgreSQL NOTIFY channel carrying {@link ChangeEvent}s between instances. */
export const CHANGE_CHANNEL = "grpc_cfg_changes";

/**
 * Something cached elsewhere went stale. Payloads carry ids only, never key material.
 * `reset` means "drop everything": sent locally when listening (re)starts, since
 * notifications sent while disconnected are lost.
 */
export type ChangeEvent =
  | { readonly type: "api-key"; readonly id: number }
  | { readonly type: "user"; readonly id: number }
  | { readonly type: "reset" };

type Listener = (event: ChangeEvent) => void;

/**
 * Cache invalidation across every process sharing the database: writers `notify` inside
 * their transaction (delivered on commit) and `emitLocal` after it, so the writing process
 * sees the change at once and the others within a notification round trip.
 */
export class ChangeFeed {
  readonly #connection: Connection;
  readonly #logger: StoreLogger;
  readonly #listeners = new Set<Listener>();
  #listening: Promise<void> | undefined;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(connection: Connection, logger: StoreLogger) {
    this.#connection = connection;
    this.#logger = logger;
  }

  /** Starts LISTENing (once; retried on the next call after a failure). */
  ensureListening(): Promise<void> {
    this.#listening ??= this.#connection
      .listen(
        CHANGE_CHANNEL,
        (payload) => this.#receive(payload),
        () => this.emitLocal({ type: "reset" }),
      )
      .then(
        (unlisten) => {
          this.#unlisten = unlisten;
        },
        (error: unknown) => {
          this.#listening = undefined;
          throw error;
        },
      );
    return this.#listening;
  }

  /** Registers a listener; returns its removal. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queues a NOTIFY on `db` (use the writing transaction so it fires only on commit). */
  async notify(db: Pick<Database, "execute">, event: ChangeEvent): Promise<void> {
    await db.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(event)})`);
  }

  /** Delivers an event to this process's listeners now. */
  emitLocal(event: ChangeEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error("change listener failed", { error: String(error) });
      }
    }
  }

  /** Stops listening. */
  async close(): Promise<void> {
    this.#listeners.clear();
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    this.#listening = undefined;
    if (unlisten) await unlisten().catch(() => {});
  }

  #receive(payload: string): void {
    let event: ChangeEvent;
    try {
      event = JSON.parse(payload) as ChangeEvent;
    } catch {
      this.#logger.warn("ignoring malformed change notification");
      return;
    }
    this.emitLocal(event);
  }
}
