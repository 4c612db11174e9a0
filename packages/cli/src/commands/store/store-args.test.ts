// The data commands' duration and number flags, through the built CLI: a bad value is a usage
// error (exit 2) naming the flag, with a hint, and is refused before a database is opened.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../testdata/cli-process.js";

const workDir = mkdtempSync(join(tmpdir(), "gcfg-store-args-"));
const dataDir = join(workDir, "data");
// An embedded database in the temp folder, never the PostgreSQL of the environment.
const options = { cwd: workDir, env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: dataDir } };

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("data command flags", { timeout: 120_000 }, () => {
  it("a duration past its maximum is a usage error naming the flag and the range", async () => {
    const lookBack = "36500d (100 years)";
    const grace = "7d (7 days, as in the monitor)";
    const cases: [string[], string][] = [
      [
        ["logs", "prune", "--older-than", "99999999d"],
        `error: invalid --older-than "99999999d": must be at most 36500d\n` +
          `hint: use a duration up to ${lookBack}, e.g. --older-than 30d, --older-than 12h or --older-than 90m\n`,
      ],
      [
        ["logs", "--since", "99999999d"],
        `error: invalid --since "99999999d": must be at most 36500d\n` +
          `hint: use a duration up to ${lookBack}, e.g. --since 30d, --since 12h or --since 90m\n`,
      ],
      [
        ["keys", "create", "--user", "ada", "--name", "x", "--expires-in", "99999999d"],
        `error: invalid --expires-in "99999999d": must be at most 3650d\n` +
          "hint: use a duration up to 3650d (10 years, as in the monitor), " +
          "e.g. --expires-in 30d, --expires-in 90d or --expires-in 12h\n",
      ],
      [
        ["keys", "rotate", "1", "--grace", "99999999d"],
        `error: invalid --grace "99999999d": must be at most 7d\n` +
          `hint: use a duration up to ${grace}, e.g. --grace 1h, --grace 1d or --grace 7d\n`,
      ],
      [
        ["keys", "rotate", "1", "--grace", "8d"],
        `error: invalid --grace "8d": must be at most 7d\n` +
          `hint: use a duration up to ${grace}, e.g. --grace 1h, --grace 1d or --grace 7d\n`,
      ],
    ];
    for (const [args, stderr] of cases) {
      const run = await runCli(args, options);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toBe(stderr); // No stack trace.
    }
    expect(existsSync(dataDir)).toBe(false); // Refused before opening a database.
  });

  it("the longest allowed look-back reaches the database without failing", async () => {
    const run = await runCli(["logs", "prune", "--older-than", "36500d", "--json"], options);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ deleted: 0 });
  });

  it("--limit and --key out of range say how to fix them", async () => {
    const limit = await runCli(["logs", "--limit", "0"], options);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toBe(
      "error: --limit must be a whole number from 1 to 1000, got 0\n" +
        "hint: e.g. --limit 200; --follow keeps printing newer calls\n",
    );
    const key = await runCli(["logs", "--key", "1.5"], options);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain("error: --key must be a whole number from 1 to");
    expect(key.stderr).toContain("hint: see the key ids with `grpc-cfg keys list`\n");
  });
});
