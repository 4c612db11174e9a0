// Flag values yargs would let through, refused by the built CLI with a usage error (exit 2)
// that quotes what was typed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../commands/testdata/cli-process.js";

const workDir = mkdtempSync(join(tmpdir(), "gcfg-flag-values-"));
const options = {
  cwd: workDir,
  env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: join(workDir, "data") },
};

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("number flags", () => {
  it("a value that is not a number is quoted as typed, not as NaN", async () => {
    const cases: [string[], string, string][] = [
      [["logs", "--key", "abc"], "key", "abc"],
      [["logs", "--limit=5x"], "limit", "5x"],
      [["stats", "--hours", "abc"], "hours", "abc"],
      [["monitor", "--port", "abc"], "port", "abc"],
      [["serve", "--port=abc"], "port", "abc"],
      [["serve", "--port", "1", "--monitor-port", "x1"], "monitor-port", "x1"],
    ];
    for (const [args, flag, typed] of cases) {
      const run = await runCli(args, options);
      const command = args[0] ?? "";
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toBe(
        `error: --${flag} must be a number, got "${typed}"\n` +
          `hint: grpc-cfg ${command} --help describes --${flag}.\n`,
      );
    }
  });
});

describe("repeated flags", () => {
  it("a flag given twice is refused naming both values, never added up or joined", async () => {
    const cases: [string[], string, string][] = [
      [["logs", "--limit", "1001", "--limit", "1"], "limit", '"1001", "1"'],
      [["logs", "--limit", "600", "--limit=600"], "limit", '"600", "600"'],
      [["stats", "--hours", "1", "--hours", "2"], "hours", '"1", "2"'],
      [["logs", "--since", "1h", "--since", "2h"], "since", '"1h", "2h"'],
      [["logs", "prune", "--older-than", "30d", "--older-than", "1d"], "older-than", '"30d", "1d"'],
      [["keys", "rotate", "1", "--grace", "1h", "--grace", "2h"], "grace", '"1h", "2h"'],
    ];
    for (const [args, flag, values] of cases) {
      const run = await runCli(args, options);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toBe(
        `error: --${flag} given more than once (${values})\nhint: Give --${flag} once.\n`,
      );
    }
  });

  it("flags meant to repeat still do", async () => {
    // Refused for the bad header, which is only checked once both -H values arrived.
    const run = await runCli(["call", "127.0.0.1:1", "a.v1.S/M", "-H", "a: 1", "-H", "bad"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: header "bad" is not "name: value"');
  });
});

describe("a value that starts with a dash", () => {
  it("is read as the flag's value and refused naming the flag, instead of printing help", async () => {
    const run = await runCli(["logs", "--since", "-1h"], options);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: invalid --since "-1h": /);
    const grace = await runCli(["keys", "rotate", "1", "--grace", "-30m"], options);
    expect(grace.code).toBe(2);
    expect(grace.stderr).toMatch(/^error: invalid --grace "-30m": /);
  });
});
