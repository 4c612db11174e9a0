/**
 * A record of every call a test file makes, so the server's request log can be checked
 * against it: each call carries its own `x-request-id`, and the ledger knows the status the
 * client saw and who the server should have attributed the call to.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { like } from "drizzle-orm";
import { requestLogs } from "@grpc-cfg/store";
import type { Store } from "@grpc-cfg/store";
import type { Account } from "./shop-stack.js";

/** Who makes a call: the metadata sent and the attribution the log row must show. */
export interface Caller {
  readonly label: string;
  /** Credential metadata sent with every call (empty for anonymous). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly userId: number | null;
  readonly apiKeyId: number | null;
}

/** Calls without credentials. */
export const ANONYMOUS: Caller = { label: "anonymous", metadata: {}, userId: null, apiKeyId: null };

/** Calls with `account`'s key in `x-api-key` (or as a Bearer token), attributed to them. */
export function callerOf(account: Account, via: "x-api-key" | "bearer" = "x-api-key"): Caller {
  return {
    label: `${account.username} (${via})`,
    metadata:
      via === "bearer" ? { authorization: `Bearer ${account.key}` } : { "x-api-key": account.key },
    userId: account.id,
    apiKeyId: account.keyId,
  };
}

/** Calls sending a key the server must not accept (bad, revoked, of a deleted user…). */
export function rejectedKeyCaller(label: string, key: string): Caller {
  return { label, metadata: { "x-api-key": key }, userId: null, apiKeyId: null };
}

/** One call as the client saw it. */
export interface LedgerEntry {
  readonly requestId: string;
  /** gRPC path, e.g. `/shop.v1.UserService/GetUser`. */
  readonly path: string;
  /** Status code the client saw (0 = OK). */
  readonly code: number;
  readonly caller: Caller;
}

/** A stored log row, as far as the ledger checks it. */
export interface LoggedRow {
  readonly requestId: string;
  readonly path: string;
  readonly grpcCode: number;
  readonly userId: number | null;
  readonly apiKeyId: number | null;
  readonly authenticated: boolean;
  readonly authMethod: string | null;
}

/** Every call of one test file, with checks against the database. */
export class CallLedger {
  readonly #prefix = `e2e-${randomBytes(4).toString("hex")}`;
  readonly #entries: LedgerEntry[] = [];
  #issued = 0;

  /** A fresh request id for the next call. */
  nextRequestId(): string {
    this.#issued += 1;
    return `${this.#prefix}-${this.#issued}`;
  }

  /** Notes a finished call. */
  record(entry: LedgerEntry): void {
    this.#entries.push(entry);
  }

  get entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  /**
   * Waits (rows are written in batches) until every recorded call has a row, then returns
   * the rows carrying this ledger's request ids — all of them, so duplicates show.
   */
  async loggedRows(store: Store, timeoutMs = 10_000): Promise<LoggedRow[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await store.db
        .select({
          requestId: requestLogs.requestId,
          path: requestLogs.path,
          grpcCode: requestLogs.grpcCode,
          userId: requestLogs.userId,
          apiKeyId: requestLogs.apiKeyId,
          authenticated: requestLogs.authenticated,
          authMethod: requestLogs.authMethod,
        })
        .from(requestLogs)
        .where(like(requestLogs.requestId, `${this.#prefix}-%`));
      const seen = new Set(rows.map((row) => row.requestId));
      if (this.#entries.every((e) => seen.has(e.requestId)) || Date.now() > deadline) return rows;
      await sleep(100);
    }
  }

  /**
   * Differences between the calls made and the rows stored: a call without exactly one row,
   * or a row whose path, status, user, key or auth method disagrees. Empty when all match.
   */
  mismatches(rows: readonly LoggedRow[]): string[] {
    const problems: string[] = [];
    for (const entry of this.#entries) {
      const mine = rows.filter((row) => row.requestId === entry.requestId);
      const what = `${entry.path} by ${entry.caller.label} (${entry.requestId})`;
      if (mine.length !== 1) {
        problems.push(`${what}: ${mine.length} rows`);
        continue;
      }
      const row = mine[0]!;
      const expected = {
        path: entry.path,
        grpcCode: entry.code,
        userId: entry.caller.userId,
        apiKeyId: entry.caller.apiKeyId,
        authenticated: entry.caller.userId !== null,
        authMethod: entry.caller.apiKeyId !== null ? "api-key" : null,
      };
      for (const [field, value] of Object.entries(expected)) {
        const actual = row[field as keyof LoggedRow];
        if (actual !== value)
          problems.push(`${what}: ${field} ${String(actual)} ≠ ${String(value)}`);
      }
    }
    const issued = new Set(this.#entries.map((e) => e.requestId));
    for (const row of rows) {
      if (!issued.has(row.requestId)) problems.push(`row for unrecorded call ${row.requestId}`);
    }
    return problems;
  }

  /** How many recorded calls each key made (the server must count the same). */
  callsPerKey(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const { caller } of this.#entries) {
      if (caller.apiKeyId !== null) {
        counts.set(caller.apiKeyId, (counts.get(caller.apiKeyId) ?? 0) + 1);
      }
    }
    return counts;
  }
}

/**
 * Each key's stored request_count once it stops changing towards `expected` (usage is
 * flushed about once a second), for the keys that still exist.
 */
export async function keyUsage(
  store: Store,
  expected: ReadonlyMap<number, number>,
  timeoutMs = 10_000,
): Promise<Map<number, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const actual = new Map<number, number>();
    for (const id of expected.keys()) {
      const key = await store.apiKeys.find(id);
      if (key) actual.set(id, key.requestCount);
    }
    const settled = [...actual].every(([id, count]) => count === expected.get(id));
    if (settled || Date.now() > deadline) return actual;
    await sleep(200);
  }
}
