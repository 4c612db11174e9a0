import { setTimeout as sleep } from "node:timers/promises";
import { inArray } from "drizzle-orm";
import type { AuthMethod, Database } from "@grpc-cfg/runtime";
import { requestLogs } from "@grpc-cfg/store";
import type { ApiKeyRecord, Store } from "@grpc-cfg/store";
import type { ProbeCall } from "./probe-calls.js";

/** Who a call's log row must name. */
export interface ExpectedAttribution {
  readonly call: ProbeCall;
  readonly userId: number | null;
  readonly apiKeyId: number | null;
  readonly authMethod: AuthMethod | null;
}

/** The columns checked, as stored. */
interface LoggedCall {
  readonly requestId: string;
  readonly grpcCode: number;
  readonly userId: number | null;
  readonly apiKeyId: number | null;
  readonly authenticated: boolean;
  readonly authMethod: string | null;
  readonly serverInstanceId: string | null;
}

const POLL_MS = 100;

/**
 * Waits until every expected call has its row (rows are written in batches, off the call's
 * path), then checks each: exactly one row per request id, the status the client saw, the
 * user, key and auth method, and this server's instance id. Returns the report line.
 */
export async function verifyRequestLogs(
  db: Database,
  instanceId: string,
  expected: readonly ExpectedAttribution[],
  timeoutMs: number,
): Promise<string> {
  const ids = expected.map((entry) => entry.call.requestId);
  const deadline = Date.now() + timeoutMs;
  let rows = await loggedCalls(db, ids);
  while (new Set(rows.map((row) => row.requestId)).size < ids.length && Date.now() < deadline) {
    await sleep(POLL_MS);
    rows = await loggedCalls(db, ids);
  }
  const problems: string[] = [];
  for (const entry of expected) {
    const { call } = entry;
    const mine = rows.filter((row) => row.requestId === call.requestId);
    const label = `call ${call.kind === "none" ? "without key" : `with ${call.kind} key`} (${call.requestId})`;
    if (mine.length !== 1) {
      problems.push(`${label}: ${mine.length} log rows after ${timeoutMs} ms, expected exactly 1`);
      continue;
    }
    const row = mine[0] as LoggedCall;
    const mismatches = [
      row.grpcCode !== call.code ? `grpc_code ${row.grpcCode} ≠ ${call.code}` : null,
      row.userId !== entry.userId ? `user_id ${row.userId} ≠ ${entry.userId}` : null,
      row.apiKeyId !== entry.apiKeyId ? `api_key_id ${row.apiKeyId} ≠ ${entry.apiKeyId}` : null,
      row.authMethod !== entry.authMethod
        ? `auth_method ${row.authMethod} ≠ ${entry.authMethod}`
        : null,
      row.authenticated !== (entry.userId !== null)
        ? `authenticated ${row.authenticated} ≠ ${entry.userId !== null}`
        : null,
      row.serverInstanceId !== instanceId ? `server_instance_id ${row.serverInstanceId}` : null,
    ].filter((text): text is string => text !== null);
    if (mismatches.length > 0) problems.push(`${label}: ${mismatches.join(", ")}`);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  const attributed = expected.map((entry) =>
    entry.userId === null
      ? `${entry.call.kind} → anonymous`
      : `${entry.call.kind} → user ${entry.userId}${entry.apiKeyId === null ? "" : ` + key ${entry.apiKeyId}`}`,
  );
  return `${expected.length} rows, one per call (${attributed.join("; ")})`;
}

/**
 * Waits for the key's usage counter (flushed in batches) to reach `expected`, then checks it
 * is exactly that and `last_used_at` is set. Returns the report line.
 */
export async function verifyKeyUsage(
  store: Store,
  keyId: number,
  expected: number,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let key: ApiKeyRecord = await store.apiKeys.get(keyId);
  while (key.requestCount < expected && Date.now() < deadline) {
    await sleep(POLL_MS);
    key = await store.apiKeys.get(keyId);
  }
  if (key.requestCount !== expected) {
    throw new Error(
      `key ${keyId} has request_count ${key.requestCount} after ${timeoutMs} ms; ${expected} call(s) were made with it`,
    );
  }
  if (expected > 0 && key.lastUsedAt === null) {
    throw new Error(`key ${keyId} has request_count ${expected} but no last_used_at`);
  }
  const lastUsed = key.lastUsedAt ? `, last used ${key.lastUsedAt.toISOString()}` : "";
  return `key ${keyId}: request_count ${key.requestCount} = calls made with it${lastUsed}`;
}

async function loggedCalls(db: Database, requestIds: readonly string[]): Promise<LoggedCall[]> {
  if (requestIds.length === 0) return [];
  return db
    .select({
      requestId: requestLogs.requestId,
      grpcCode: requestLogs.grpcCode,
      userId: requestLogs.userId,
      apiKeyId: requestLogs.apiKeyId,
      authenticated: requestLogs.authenticated,
      authMethod: requestLogs.authMethod,
      serverInstanceId: requestLogs.serverInstanceId,
    })
    .from(requestLogs)
    .where(inArray(requestLogs.requestId, [...requestIds]));
}
