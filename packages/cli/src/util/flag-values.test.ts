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
