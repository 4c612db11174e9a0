/**
 * Running `grpc-cfg test-integration` (the real bin) in a shop copy, and reading its report
 * and the database it worked on.
 */
import path from "node:path";
import {
  apiKeys,
  openStore,
  requestLogs,
  serverInstances,
  silentLogger,
  users,
} from "@grpc-cfg/store";
import type { Store } from "@grpc-cfg/store";
import { runProcess, startProcess } from "./processes.js";
import type { BackgroundProcess, ProcessResult } from "./processes.js";
import type { ShopCopy } from "./shop-copy.js";
import { REPO_ROOT } from "./shop-stack.js";

const CLI = path.join(REPO_ROOT, "packages/cli/bin/grpc-cfg.js");

/** The report's steps, in order. */
export const STEPS = [
  "config",
  "generate",
  "start server",
  "choose method",
  "temporary key",
  "call with key",
  "call without key",
  "call with secret key",
  "call with invalid key",
  "request logs",
  "key usage",
  "cleanup",
];

/** A dev secret key long enough for the config's rules; must never appear in output. */
export const SECRET = "e2e-dev-secret-0123456789abcdef-0123456789";

// The copy's own config decides the database unless a test says otherwise.
const CLEAN_ENV = {
  DATABASE_URL: undefined,
  GRPC_CFG_DATA_DIR: undefined,
  GRPC_CFG_SECRET_KEY: undefined,
};

/** Runs `grpc-cfg test-integration <args>` in the copy to the end. */
export function testIntegration(
  copy: ShopCopy,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI, "test-integration", ...args], {
    cwd: copy.root,
    env: { ...CLEAN_ENV, ...env },
    timeoutMs: 180_000,
  });
}

/** Starts `grpc-cfg test-integration <args>` in the copy and leaves it running. */
export function startTestIntegration(
  copy: ShopCopy,
  env: Record<string, string | undefined> = {},
): BackgroundProcess {
  return startProcess(process.execPath, [CLI, "test-integration"], {
    cwd: copy.root,
    env: { ...CLEAN_ENV, ...env },
  });
}

/** The report line of a step: `<n>/12 <STATUS>  <name>  <detail>`. Throws when missing. */
export function stepLine(result: Pick<ProcessResult, "stdout" | "stderr">, step: string): string {
  const line = result.stdout
    .split("\n")
    .find((l) => new RegExp(`^\\s*\\d+/12 \\w+\\s+${step}\\s{2}`).test(l));
  if (!line) throw new Error(`no "${step}" line in:\n${result.stdout}\n${result.stderr}`);
  return line;
}

/** The summary (last) line of the report. */
export function summaryLine(result: Pick<ProcessResult, "stdout">): string {
  return result.stdout.trim().split("\n").at(-1) ?? "";
}

/** Row ids of every table test-integration writes to, to compare before and after a run. */
export async function snapshot(store: Store) {
  const ids = async (table: typeof users | typeof apiKeys | typeof requestLogs) =>
    (await store.db.select({ id: table.id }).from(table))
      .map((row) => row.id)
      .sort((a, b) => a - b);
  return {
    users: await ids(users),
    keys: await ids(apiKeys),
    logs: await ids(requestLogs),
    instances: (await store.db.select({ id: serverInstances.id }).from(serverInstances)).length,
  };
}

/** Opens the database a copy used, as it is (no migrations). */
export function openUsedStore(options: { dataDir: string } | { url: string }): Promise<Store> {
  return openStore({ ...options, migrate: false, checkSchema: false, logger: silentLogger });
}
