import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createChannel, createClient } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";

const workersDir = join(dirname(fileURLToPath(import.meta.url)), "../testdata/workers");
const script = join(workersDir, "run-two-workers.mjs");

describe("runWorkers", () => {
  it("2 worker processes answer on one port, and stop on SIGTERM", async () => {
    const primary = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const [line] = (await once(createInterface({ input: primary.stdout }), "line")) as [string];
      const { port, pids } = JSON.parse(line) as { port: number; pids: number[] };
      expect(port).toBeGreaterThan(0);
      expect(new Set(pids).size).toBe(2);

      // The primary hands out connections round-robin: fresh channels reach both workers.
      const seen = new Set<number>();
      for (let i = 0; i < 20 && seen.size < 2; i++) {
        const channel = createChannel(`127.0.0.1:${port}`);
        const client = createClient(TestServiceDefinition, channel);
        await client.echo(
          { message: "hi" },
          { onHeader: (h) => seen.add(Number(h.get("x-worker-pid"))) },
        );
        channel.close();
      }
      expect([...seen].sort()).toEqual([...pids].sort());

      primary.kill("SIGTERM");
      const [code] = (await once(primary, "exit")) as [number | null];
      expect(code).toBe(0);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (primary.exitCode === null) primary.kill("SIGKILL");
    }
  });

  it("replaces a worker that dies, and calls reach the replacement", async () => {
    const primary = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: primary.stdout })[Symbol.asyncIterator]();
    const next = async () =>
      JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
    try {
      const { port, pids } = (await next()) as { port: number; pids: number[] };
      const [victim, survivor] = pids as [number, number];
      process.kill(victim, "SIGKILL");
      expect(await next()).toMatchObject({
        level: "error",
        msg: "worker exited; starting a replacement",
        pid: victim,
        signal: "SIGKILL",
        replaceInMs: 1000, // It died young (< 10 s): the first delay.
      });
      const started = await next();
      expect(started).toMatchObject({ msg: "replacement worker listening" });
      const replacement = Number(started.pid);
      expect([victim, survivor]).not.toContain(replacement);

      const seen = new Set<number>();
      for (let i = 0; i < 20 && seen.size < 2; i++) {
        const channel = createChannel(`127.0.0.1:${port}`);
        await createClient(TestServiceDefinition, channel).echo(
          { message: "hi" },
          { onHeader: (h) => seen.add(Number(h.get("x-worker-pid"))) },
        );
        channel.close();
      }
      expect([...seen].sort()).toEqual([survivor, replacement].sort());

      primary.kill("SIGTERM");
      const [code] = (await once(primary, "exit")) as [number | null];
      expect(code).toBe(0);
      for (const pid of [survivor, replacement]) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (primary.exitCode === null) primary.kill("SIGKILL");
    }
  }, 30_000);

  it("retries a replacement that fails to start, waiting longer each time", async () => {
    const primary = spawn(process.execPath, [script], {
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, FAIL_WORKER_ID: "3" }, // The first replacement fails.
    });
    const lines = createInterface({ input: primary.stdout })[Symbol.asyncIterator]();
    const next = async () =>
      JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
    try {
      const { pids } = (await next()) as { pids: number[] };
      process.kill(pids[0] as number, "SIGKILL");
      expect(await next()).toMatchObject({
        msg: "worker exited; starting a replacement",
        replaceInMs: 1000,
      });
      expect(await next()).toMatchObject({ msg: "replacement worker did not start" });
      expect(await next()).toMatchObject({
        msg: "worker exited; starting a replacement",
        replaceInMs: 2000,
      });
      expect(await next()).toMatchObject({ msg: "replacement worker listening" });
      primary.kill("SIGTERM");
      const [code] = (await once(primary, "exit")) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (primary.exitCode === null) primary.kill("SIGKILL");
    }
  }, 30_000);

  it("does not replace a worker that stopped gracefully on its own", async () => {
    const primary = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    const lines: string[] = [];
    createInterface({ input: primary.stdout }).on("line", (line) => lines.push(line));
    try {
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const { pids } = JSON.parse(lines[0] as string) as { pids: number[] };
      const [stopping, other] = pids as [number, number];
      process.kill(stopping, "SIGTERM");
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      while (alive(stopping)) await new Promise((resolve) => setTimeout(resolve, 20));
      // A death would be logged at once and replaced after 1 s; give it 1.5 s.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(lines.slice(1)).toEqual([]);
      expect(alive(other)).toBe(true);
      primary.kill("SIGTERM");
      const [code] = (await once(primary, "exit")) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (primary.exitCode === null) primary.kill("SIGKILL");
    }
  }, 30_000);

  it("a worker that fails to start exits, and the primary rejects at once", async () => {
    const primary = spawn(process.execPath, [join(workersDir, "run-failing-workers.mjs")], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const guard = setTimeout(() => primary.kill("SIGKILL"), 20_000); // A regression hangs.
    try {
      const line = await Promise.race([
        once(createInterface({ input: primary.stdout }), "line").then(([text]) => String(text)),
        once(primary, "exit").then(([code]) => `exited with ${String(code)} and no report`),
      ]);
      const { error, ms } = JSON.parse(line) as { error: string; ms: number };
      expect(error).toMatch(/^worker \d+ failed to start: cannot connect to the database$/);
      // The worker let go of its IPC channel, so the primary did not wait out its 30 s stop
      // timeout (nor kill it): it exited on its own, and so does the primary.
      expect(ms).toBeLessThan(10_000);
      const [code] = (await once(primary, "exit")) as [number | null];
      expect(code).toBe(1);
    } finally {
      clearTimeout(guard);
      if (primary.exitCode === null) primary.kill("SIGKILL");
    }
  }, 30_000);
});
