import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";

const workersDir = join(dirname(fileURLToPath(import.meta.url)), "../testdata/workers");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a primary script; `next()` reads its next stdout line as JSON (its report, then its
 * log lines), `stop()` SIGTERMs it and resolves with its exit code.
 */
function startPrimary(script: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [resolve(workersDir, script)], {
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  // Listened for from the start: the primary may exit before a test asks.
  const exit = once(child, "exit").then(([code]) => code as number | null);
  return {
    async next(): Promise<Record<string, unknown>> {
      const line = await lines.next();
      if (line.done) throw new Error(`the primary exited (${String(child.exitCode)}) first`);
      return JSON.parse(String(line.value)) as Record<string, unknown>;
    },
    stop(): Promise<number | null> {
      child.kill("SIGTERM");
      return exit;
    },
    exited: () => exit,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/**
 * The workers that answered calls on fresh connections (the primary spreads those): pid →
 * `slot.replacements`.
 */
async function answeringWorkers(port: number, atLeast: number): Promise<Map<number, string>> {
  const seen = new Map<number, string>();
  for (let i = 0; i < 20 && seen.size < atLeast; i++) {
    const channel = createChannel(`127.0.0.1:${port}`);
    await createClient(TestServiceDefinition, channel).echo(
      { message: "hi" },
      {
        onHeader: (h) => seen.set(Number(h.get("x-worker-pid")), String(h.get("x-worker-slot"))),
      },
    );
    channel.close();
  }
  return seen;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("runWorkers", () => {
  it("2 worker processes answer on one port, and stop on SIGTERM", async () => {
    const primary = startPrimary("run-two-workers.mjs");
    try {
      const { port, pids } = (await primary.next()) as { port: number; pids: number[] };
      expect(port).toBeGreaterThan(0);
      expect(new Set(pids).size).toBe(2);
      // Each worker knows its slot, in the order of the pids the primary lists.
      const workers = await answeringWorkers(port, 2);
      expect(workers).toEqual(
        new Map([
          [pids[0], "1.0"],
          [pids[1], "2.0"],
        ]),
      );
      expect(await primary.stop()).toBe(0);
      for (const pid of pids) expect(alive(pid)).toBe(false);
    } finally {
      primary.kill();
    }
  });

  it("replaces a worker that dies, and calls reach the replacement", async () => {
    const primary = startPrimary("run-two-workers.mjs");
    try {
      const { port, pids } = (await primary.next()) as { port: number; pids: number[] };
      const [victim, survivor] = pids as [number, number];
      process.kill(victim, "SIGKILL");
      expect(await primary.next()).toMatchObject({
        level: "error",
        msg: "worker exited; starting a replacement",
        pid: victim,
        signal: "SIGKILL",
        replaceInMs: 1000, // It died young (< 10 s): the first delay.
      });
      const started = await primary.next();
      expect(started).toMatchObject({ msg: "replacement worker listening" });
      const replacement = Number(started.pid);
      expect([victim, survivor]).not.toContain(replacement);
      // The replacement takes the dead worker's slot, and knows it is its first replacement.
      const workers = await answeringWorkers(port, 2);
      expect(workers).toEqual(
        new Map([
          [replacement, "1.1"],
          [survivor, "2.0"],
        ]),
      );
      expect(await primary.stop()).toBe(0);
      for (const pid of [survivor, replacement]) expect(alive(pid)).toBe(false);
    } finally {
      primary.kill();
    }
  }, 30_000);

  it("retries a replacement that fails to start, waiting longer each time", async () => {
    // The worker with cluster id 3, the first replacement, fails to start.
    const primary = startPrimary("run-two-workers.mjs", { FAIL_WORKER_ID: "3" });
    try {
      const { pids } = (await primary.next()) as { pids: number[] };
      process.kill(pids[0] as number, "SIGKILL");
      const replacing = { msg: "worker exited; starting a replacement" };
      expect(await primary.next()).toMatchObject({ ...replacing, replaceInMs: 1000 });
      expect(await primary.next()).toMatchObject({ msg: "replacement worker did not start" });
      expect(await primary.next()).toMatchObject({ ...replacing, replaceInMs: 2000 });
      expect(await primary.next()).toMatchObject({ msg: "replacement worker listening" });
      expect(await primary.stop()).toBe(0);
    } finally {
      primary.kill();
    }
  }, 30_000);

  it("survives replacements that keep failing to start", async () => {
    // A failing worker disconnects itself while the primary may still be writing to it; the
    // EPIPE that follows crashed the primary (and so the whole server) about once in 30.
    const primary = startPrimary("run-crash-looping-workers.mjs");
    const guard = setTimeout(primary.kill, 50_000);
    try {
      const { pids } = (await primary.next()) as { pids: number[] };
      process.kill(pids[0] as number, "SIGKILL");
      let failed = 0;
      while (failed < 60) {
        const line = await primary.next();
        if (line.msg === "replacement worker did not start") failed++;
      }
      expect(await primary.stop()).toBe(0);
    } finally {
      clearTimeout(guard);
      primary.kill();
    }
  }, 60_000);

  it("does not replace a worker that stopped gracefully on its own", async () => {
    const primary = startPrimary("run-two-workers.mjs");
    try {
      const { pids } = (await primary.next()) as { pids: number[] };
      const [stopping, other] = pids as [number, number];
      process.kill(stopping, "SIGTERM"); // The script's workers stop gracefully on SIGTERM.
      while (alive(stopping)) await sleep(20);
      // A death would be logged at once and replaced after 1 s; give it 1.5 s.
      const logged = await Promise.race([primary.next(), sleep(1500).then(() => null)]);
      expect(logged).toBeNull();
      expect(alive(other)).toBe(true);
      expect(await primary.stop()).toBe(0);
    } finally {
      primary.kill();
    }
  }, 30_000);

  it("replaces a worker that stopped gracefully but exited 1 (after an uncaught exception)", async () => {
    const primary = startPrimary("run-two-workers.mjs");
    try {
      const { pids } = (await primary.next()) as { pids: number[] };
      const [faulty, other] = pids as [number, number];
      process.kill(faulty, "SIGUSR2");
      expect(await primary.next()).toMatchObject({
        msg: "worker exited; starting a replacement",
        pid: faulty,
        code: 1,
      });
      expect(await primary.next()).toMatchObject({ msg: "replacement worker listening" });
      expect(alive(other)).toBe(true);
      expect(await primary.stop()).toBe(0);
    } finally {
      primary.kill();
    }
  }, 30_000);

  it("a worker that fails to start exits, and the primary rejects at once", async () => {
    const primary = startPrimary("run-failing-workers.mjs");
    const guard = setTimeout(primary.kill, 20_000); // A regression hangs.
    try {
      const { error, ms } = (await primary.next()) as { error: string; ms: number };
      expect(error).toMatch(/^worker \d+ failed to start: cannot connect to the database$/);
      // The worker let go of its IPC channel, so the primary did not wait out its 30 s stop
      // timeout (nor kill it): it exited on its own, and so does the primary.
      expect(ms).toBeLessThan(10_000);
      expect(await primary.exited()).toBe(1);
    } finally {
      clearTimeout(guard);
      primary.kill();
    }
  }, 30_000);
});

// Two workers that report the instance id `instance-of-<pid>` and serve nothing; the primary
// prints {"pids"}, its log lines, and {"death"} for each `onWorkerDeath` call (which throws
// instead with HOOK_THROWS=1). A worker sent SIGTERM stops gracefully.
const reportingScript = `
import { createJsonLogger, runWorkers } from ${JSON.stringify(
  pathToFileURL(join(workersDir, "../../../dist/index.js")).href,
)};
const run = await runWorkers(
  2,
  async (worker) => {
    worker.reportInstance("instance-of-" + process.pid);
    return { address: { host: "127.0.0.1", port: 1 }, shutdown: async () => {} };
  },
  {
    logger: createJsonLogger({ write: (line) => process.stdout.write(line) }),
    onWorkerDeath: (death) => {
      if (process.env.HOOK_THROWS) throw new Error("database is down");
      process.stdout.write(JSON.stringify({ death }) + "\\n");
    },
  },
);
if (run.role === "primary") {
  console.log(JSON.stringify({ pids: run.workerPids }));
  process.on("SIGTERM", () => void run.stop("SIGTERM").then(() => process.exit(0)));
} else {
  process.on("SIGTERM", () => void run.stop("SIGTERM"));
}
`;
const scriptDir = mkdtempSync(join(tmpdir(), "grpc-cfg-workers-"));
afterAll(() => rmSync(scriptDir, { recursive: true, force: true }));
writeFileSync(join(scriptDir, "report-instances.mjs"), reportingScript);

describe("runWorkers onWorkerDeath", () => {
  const start = (env: NodeJS.ProcessEnv = {}) =>
    startPrimary(join(scriptDir, "report-instances.mjs"), env);

  it("hands the primary a killed worker's reported instance id, not a graceful stop's", async () => {
    const primary = start();
    try {
      const { pids } = (await primary.next()) as { pids: number[] };
      const [victim, graceful] = pids as [number, number];
      process.kill(victim, "SIGKILL");
      let line = await primary.next();
      while (!("death" in line)) line = await primary.next();
      expect(line.death).toEqual({
        pid: victim,
        slot: 1,
        code: null,
        signal: "SIGKILL",
        instanceId: `instance-of-${victim}`,
      });
      process.kill(graceful, "SIGTERM");
      while (alive(graceful)) await sleep(20);
      // The killed worker's replacement may log meanwhile; no death may come for this one.
      const later: Record<string, unknown>[] = [];
      const reading = (async () => {
        for (;;) later.push(await primary.next());
      })().catch(() => {});
      await sleep(1500);
      expect(later.filter((l) => "death" in l)).toEqual([]);
      expect(await primary.stop()).toBe(0);
    } finally {
      primary.kill();
    }
  }, 30_000);

  it("logs a failing callback as a warning and goes on replacing", async () => {
    const primary = start({ HOOK_THROWS: "1" });
    try {
      const { pids } = (await primary.next()) as { pids: number[] };
      process.kill(pids[0] as number, "SIGKILL");
      const lines: Record<string, unknown>[] = [];
      while (!lines.some((l) => l.msg === "replacement worker listening")) {
        lines.push(await primary.next());
      }
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: "warn",
          msg: "could not record a dead worker",
          pid: pids[0],
          instanceId: `instance-of-${pids[0]}`,
          error: "Error: database is down",
        }),
      );
      expect(await primary.stop()).toBe(0);
    } finally {
      primary.kill();
    }
  }, 30_000);
});
