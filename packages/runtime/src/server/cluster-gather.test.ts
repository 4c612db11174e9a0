import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gatherFromCluster } from "./cluster-gather.js";

const script = join(
  dirname(fileURLToPath(import.meta.url)),
  "../testdata/workers/run-gathering-workers.mjs",
);

/** Starts the script's primary; asks its first worker to gather; returns what it printed. */
async function gatherInCluster(env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [script], {
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, ...env },
  });
  const exit = once(child, "exit");
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () =>
    JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  try {
    const { pids } = (await next()) as { pids: number[] };
    process.kill(pids[0] as number, "SIGUSR2");
    const answer = (await next()) as {
      gathered: number[];
      slots: { pid: number; slot: number; replacements: number }[];
      complete: boolean;
      ms: number;
    };
    return { pids, ...answer };
  } finally {
    child.kill("SIGTERM");
    await exit;
  }
}

describe("gatherFromCluster", () => {
  it("outside a cluster, answers with this process's own value", async () => {
    expect(await gatherFromCluster("pid", () => "local")).toEqual({
      answers: [{ value: "local", worker: null }],
      complete: true,
    });
  });

  it("in a worker, collects every worker's answer and slot through the primary", async () => {
    const { pids, gathered, slots, complete } = await gatherInCluster();
    expect(gathered).toEqual([...pids].sort((a, b) => a - b));
    // The primary lists its workers' pids in slot order.
    expect(slots).toEqual([
      { pid: pids[0], slot: 1, replacements: 0 },
      { pid: pids[1], slot: 2, replacements: 0 },
    ]);
    expect(complete).toBe(true);
  }, 30_000);

  it("leaves out a worker that does not answer within a second, and says so", async () => {
    const { pids, gathered, complete, ms } = await gatherInCluster({ SLOW_WORKER_ID: "2" });
    expect(gathered).toEqual([pids[0]]);
    expect(complete).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_500);
  }, 30_000);
});
