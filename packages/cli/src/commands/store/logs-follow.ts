/**
 * The polling loop of `grpc-cfg logs --follow`.
 *
 * Ids are handed out when a row is inserted, but a row becomes visible when its transaction
 * commits. Each server instance writes its batches in a transaction of its own, so a batch can
 * commit after rows with higher ids have already been printed. Reading only `id > last printed`
 * would skip that batch for good. The loop therefore keeps reading from a lower id, the
 * *floor*. Rows above the floor are de-duplicated by id. The floor passes an id that never
 * showed up (still in flight, or rolled back) once a higher id has been on screen for
 * {@link LATE_COMMIT_WINDOW_MS}. A row is printed if it commits within that time of a row
 * with a higher id being printed. Late rows are printed when they appear, out of id order.
 *
 * A failing query (the database restarting, a failover, a network cut) does not end the
 * follow: one line goes to stderr, and the loop retries with backoff until reads work again.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { LogFilter, RequestLogEntry, Store } from "@grpc-cfg/store";
// No value import of @grpc-cfg/store: this module is loaded with the command's help text.
import { isStoreError } from "../../util/store-errors.js";

/** How often `--follow` looks for new rows. */
export const FOLLOW_POLL_MS = 1_000;
/** How late (after a higher id was printed) a commit may come and still be printed. */
export const LATE_COMMIT_WINDOW_MS = 10_000;
/** Longest pause between retries while the database cannot be read. */
const MAX_RETRY_MS = 10_000;
/** Most ids remembered above the floor, whatever the window says (memory bound). */
const MAX_TRACKED_IDS = 100_000;

/**
 * The ids `--follow` has printed that late rows may still land between, and the floor below
 * which nothing is read again.
 */
export class FollowCursor {
  #floor: number;
  /** Printed ids above the floor → when they were first printed (ms). */
  readonly #seen = new Map<number, number>();

  /**
   * @param afterId Highest id already shown; rows at or below it are not printed.
   * @param windowMs How long a gap below a printed id is waited for
   *   ({@link LATE_COMMIT_WINDOW_MS}).
   */
  constructor(
    afterId: number,
    private readonly windowMs: number = LATE_COMMIT_WINDOW_MS,
  ) {
    this.#floor = afterId;
  }

  /** Reads start after this id. */
  get floor(): number {
    return this.#floor;
  }

  /** Number of ids remembered above the floor. */
  get tracked(): number {
    return this.#seen.size;
  }

  /** True when `id` has not been printed yet (and records it as printed now). */
  take(id: number, now: number): boolean {
    if (id <= this.#floor || this.#seen.has(id)) return false;
    this.#seen.set(id, now);
    return true;
  }

  /** Raises the floor past the ids no late row can land below any more. */
  settle(now: number): void {
    let floor = this.#floor;
    // A higher id printed a window ago: whatever is still missing below it is given up.
    for (const [id, at] of this.#seen) if (at <= now - this.windowMs && id > floor) floor = id;
    const above = [...this.#seen.keys()].filter((id) => id > floor).sort((a, b) => a - b);
    // With no gap from the floor up, nothing can land below: the common, unfiltered case.
    let contiguous = 0;
    while (contiguous < above.length && above[contiguous] === floor + 1) {
      floor = above[contiguous]!;
      contiguous += 1;
    }
    const excess = above.length - contiguous - MAX_TRACKED_IDS;
    if (excess > 0) floor = above[contiguous + excess - 1]!;
    for (const id of this.#seen.keys()) if (id <= floor) this.#seen.delete(id);
    this.#floor = floor;
  }
}

/** What {@link followLogs} needs. */
export interface FollowOptions {
  readonly store: Pick<Store, "requestLogs">;
  readonly filter: LogFilter;
  /** Highest id already shown. */
  readonly afterId: number;
  /** Prints one row (stdout). */
  print(entry: RequestLogEntry): Promise<void>;
  /** Writes one line about the database to stderr (no newline). */
  warn(line: string): void;
  /** Ends the follow (Ctrl+C). */
  readonly signal: AbortSignal;
  readonly pollMs?: number;
  readonly windowMs?: number;
}

/** Prints matching rows as they are committed until `signal` aborts (see the module comment). */
export async function followLogs(options: FollowOptions): Promise<void> {
  const { store, filter, signal } = options;
  const cursor = new FollowCursor(options.afterId, options.windowMs);
  const pollMs = options.pollMs ?? FOLLOW_POLL_MS;
  let failures = 0;
  while (!signal.aborted) {
    let fresh: RequestLogEntry[];
    try {
      fresh = await readNew(store, filter, cursor);
      if (failures > 0) options.warn("logs --follow: reading the request log again");
      failures = 0;
    } catch (error) {
      if (!isDatabaseFailure(error)) throw error;
      failures += 1;
      if (failures === 1) {
        options.warn(
          `logs --follow: cannot read the request log (${describeFailure(error)}); retrying until the database is back (Ctrl+C to stop)`,
        );
      }
      await pause(Math.min(MAX_RETRY_MS, pollMs * 2 ** (failures - 1)), signal);
      continue;
    }
    // Outside the try: a failing stdout (a closed pipe) ends the follow, it is no outage.
    for (const entry of fresh) await options.print(entry);
    await pause(pollMs, signal);
  }
}

/** One poll: every page above the floor; returns the rows not printed yet, marked printed. */
async function readNew(
  store: Pick<Store, "requestLogs">,
  filter: LogFilter,
  cursor: FollowCursor,
): Promise<RequestLogEntry[]> {
  const fresh: RequestLogEntry[] = [];
  let afterId = cursor.floor;
  for (;;) {
    const page = await store.requestLogs.list({ ...filter, afterId, limit: 1000 });
    for (const entry of page.items) {
      if (cursor.take(entry.id, Date.now())) fresh.push(entry);
      afterId = entry.id;
    }
    if (!page.hasMore) break;
  }
  cursor.settle(Date.now());
  return fresh;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => {
    // Aborted: the loop sees the signal and ends.
  });
}

/**
 * A failure of the database or the connection to it, as opposed to a bug or a bad filter:
 * Drizzle's query errors (they carry the query), the store's connection errors, and driver
 * or socket errors (they carry a code: ECONNREFUSED, a SQLSTATE, CONNECTION_CLOSED…).
 */
function isDatabaseFailure(error: unknown): boolean {
  if (isStoreError(error)) return error.code === "connection-failed";
  if (!(error instanceof Error)) return false;
  const fields = error as { query?: unknown; params?: unknown; code?: unknown };
  return (
    (typeof fields.query === "string" && Array.isArray(fields.params)) ||
    typeof fields.code === "string"
  );
}

// Drizzle's message repeats the query and its parameters: only the driver's error is shown.
function describeFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 3; depth += 1) {
    const fields = current as { query?: unknown; cause?: unknown };
    if (typeof fields.query !== "string" || fields.cause === undefined) break;
    current = fields.cause;
  }
  const message = current instanceof Error ? current.message : String(current);
  const code = (current as { code?: unknown }).code;
  return typeof code === "string" && !message.includes(code) ? `${message}, ${code}` : message;
}
