// Messages of the data commands, through the built CLI on a temporary PGlite folder: "not
// found" errors name the command that lists what exists, a locked folder names the monitor
// where the config puts it (for serve too), and a config that enables the dev secret key
// does not stop commands that never use it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../testdata/cli-process.js";

const workDir = mkdtempSync(join(tmpdir(), "gcfg-store-messages-"));
const dataDir = join(workDir, "data");
// GRPC_CFG_SECRET_KEY is empty, as in an operator's shell that never had it.
const options = {
  cwd: workDir,
  env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: dataDir, GRPC_CFG_SECRET_KEY: "" },
};
const run = (args: string[]) => runCli(args, options);

beforeAll(() => {
  writeFileSync(
    join(workDir, "grpc-cfg.config.mjs"),
    "export default { auth: { secretKey: { enabled: true } }, monitor: { port: 51299 } };\n",
  );
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// PGlite starts in ~1-2 CPU-s per command; generous timeouts keep a loaded machine green.
describe("data command messages (PGlite)", { timeout: 180_000 }, () => {
  it("commands that do not use the dev secret key run without GRPC_CFG_SECRET_KEY", async () => {
    for (const args of [["migrate"], ["users", "list"], ["keys", "list"], ["status"]]) {
      const result = await run([...args, "--json"]);
      expect(result.stderr, args.join(" ")).toBe("");
      expect(result.code, args.join(" ")).toBe(0);
    }
    // Nor does NODE_ENV=production, where serve refuses the dev secret key.
    const production = await runCli(["users", "list", "--json"], {
      ...options,
      env: { ...options.env, NODE_ENV: "production", GRPC_CFG_SECRET_KEY: "s".repeat(32) },
    });
    expect(production.stderr).toBe("");
    expect(production.code).toBe(0);
    // The standalone monitor signs people in, with that key too: it still needs it.
    const monitor = await run(["monitor", "--port", "0"]);
    expect(monitor.code).toBe(1);
    expect(monitor.stderr).toContain("auth.secretKey.value: required when auth.secretKey.enabled");
  });

  it("not found: the hint names the command that lists what exists", async () => {
    const users = "hint: `grpc-cfg users list --all` lists the users (--all: inactive ones too)\n";
    const keys = "hint: `grpc-cfg keys list` lists the API keys and their ids\n";
    const cases: [string[], string][] = [
      [["users", "deactivate", "nobody"], `error: no user "nobody"\n${users}`],
      [["logs", "--user", "nobody"], `error: no user "nobody"\n${users}`],
      [["keys", "revoke", "999"], `error: no API key with id 999\n${keys}`],
    ];
    for (const [args, stderr] of cases) {
      const result = await run(args);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr, args.join(" ")).toBe(stderr);
    }
  });

  it("a folder in use: the hint names the monitor address of the config", async () => {
    const store = await openStore({ dataDir, logger: silentLogger });
    try {
      const result = await run(["users", "list"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: the embedded database folder .* is in use/);
      expect(result.stderr).toContain(
        "While grpc-cfg serve runs, its monitor (http://127.0.0.1:51299/) shows",
      );
      // A second serve on the folder gets the same hint.
      const serve = await runCli(["serve", "--port", "0"], {
        ...options,
        env: { ...options.env, GRPC_CFG_SECRET_KEY: "s".repeat(32) },
      });
      expect(serve.code).toBe(1);
      expect(serve.stderr).toMatch(/^error: the embedded database folder .* is in use/);
      expect(serve.stderr).toContain(
        "While grpc-cfg serve runs, its monitor (http://127.0.0.1:51299/) shows",
      );
    } finally {
      await store.close();
    }
  });
});
