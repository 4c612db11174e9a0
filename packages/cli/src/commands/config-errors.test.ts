// How the real CLI binary reports config files that do not load or hold bad values: one
// `error: Invalid configuration in <file>` block and a hint naming that file, never
// "unexpected failure" with a stack trace, never a secret. Config files are written to a
// temp folder; `migrate` reads the config before it opens a database, `serve` (in the shop
// example) checks the TLS and JWKS files once it starts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { writeTree } from "../../../../tests/support/temp-dir.js";
import { runCli } from "./testdata/cli-process.js";
import type { CliRun } from "./testdata/cli-process.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "grpc-cfg-config-errors-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;
/** A fresh folder holding `files` (path → text). */
function project(files: Record<string, string>): string {
  return writeTree(join(scratch, `p${++projects}`), files);
}

/** The environment of every run: the embedded database in the scratch folder, no secrets. */
const env = (root: string) => ({
  DATABASE_URL: "",
  GRPC_CFG_DATA_DIR: join(root, ".grpc-cfg/data"),
  GRPC_CFG_SECRET_KEY: "",
});

/** Checks `run` failed with one config error in `file` (shown as `shown`) and returns it. */
function configFailure(run: CliRun, file: string, shown: string): string {
  expect(run.stderr).toMatch(new RegExp(`^error: Invalid configuration in ${escape(file)}:\n`));
  expect(run.stderr).toContain(`\nhint: fix ${shown} (or the environment variables it reads)\n`);
  expect(run.stderr).not.toContain("unexpected failure");
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.code).toBe(1);
  return run.stderr;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function migrate(root: string, configFile?: string): Promise<CliRun> {
  const args = ["migrate", "--status", ...(configFile ? ["--config", configFile] : [])];
  return runCli(args, { cwd: root, env: env(root) });
}

describe("config files that do not load", () => {
  it('loads grpc-cfg.config.ts in a package without "type": "module"', async () => {
    const root = project({
      "package.json": '{"name":"cjs-app","version":"1.0.0"}',
      "grpc-cfg.config.ts":
        "export default { server: { port: 50071 }, monitor: { enabled: false } };\n",
    });
    const run = await migrate(root);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("database: pglite");
    expect(run.code).toBe(0);
  }, 30_000);

  it("names the file and says why, for each way a file can fail to load", async () => {
    const root = project({
      "config/throws.config.ts": 'throw new Error("boom from config");\nexport default {};\n',
      "config/string.config.ts": 'throw "a plain string";\nexport default {};\n',
      "config/syntax.config.ts": "export default {\n  server: { port: 1\n  oops: 2 }\n};\n",
      "config/missing.config.ts": 'import { port } from "./nope.js";\nexport default { port };\n',
      "config/x.json": '{"server":{"port":1}}',
    });
    const expected: Record<string, RegExp> = {
      "config/throws.config.ts": /- \(config\): loading it threw Error: boom from config \(at /,
      "config/string.config.ts": /- \(config\): the file threw "a plain string"\n/,
      "config/syntax.config.ts":
        /- \(config\): syntax error at .*syntax\.config\.ts:3:2: Expected "}" but found "oops"\n/,
      "config/missing.config.ts": /- \(config\): cannot find module .*nope\.js.* imported from /,
      "config/x.json": /- \(config\): cannot load a \.json file; use \.ts, \.mts, \.cts, \.js/,
    };
    for (const [file, pattern] of Object.entries(expected)) {
      const stderr = configFailure(await migrate(root, file), join(root, file), file);
      expect(stderr, file).toMatch(pattern);
    }
  }, 60_000);

  it("names the --config file in the hint, not grpc-cfg.config.ts", async () => {
    const root = project({
      "grpc-cfg.config.ts": "export default {};\n",
      "config/other.config.ts": 'export default { server: { port: "abc" } };\n',
    });
    const stderr = configFailure(
      await migrate(root, "config/other.config.ts"),
      join(root, "config/other.config.ts"),
      "config/other.config.ts",
    );
    expect(stderr).toContain('server.port: expected an integer 0–65535, got "abc"');
  }, 30_000);
});

describe("config values", () => {
  const secret = "TOPSECRET-abcdefghijklmnopqrstuvwxyz";

  it("never echoes a secret, even given where an object belongs", async () => {
    for (const auth of [JSON.stringify(secret), `{ jwt: ${JSON.stringify(secret)} }`]) {
      const root = project({ "grpc-cfg.config.ts": `export default { auth: ${auth} };\n` });
      const file = join(root, "grpc-cfg.config.ts");
      const stderr = configFailure(await migrate(root), file, "grpc-cfg.config.ts");
      expect(stderr).toContain("<redacted>");
      expect(stderr).not.toContain("TOPSECRET");
    }
  }, 30_000);

  it("checks JWT settings with the rest of the config", async () => {
    const cases = {
      "short.config.ts": ['{ secret: "too-short" }', "auth.jwt.secret: must be at least 32"],
      "both.config.ts": [
        `{ secret: "${"s".repeat(32)}", jwksFile: "jwks.json" }`,
        "auth.jwt: set exactly one of secret, jwksUrl or jwksFile",
      ],
      "ftp.config.ts": [
        '{ jwksUrl: "ftp://example.com/jwks" }',
        "auth.jwt.jwksUrl: expected an http:// or https:// URL",
      ],
    };
    const root = project(
      Object.fromEntries(
        Object.entries(cases).map(([name, [jwt]]) => [
          name,
          `export default { auth: { jwt: ${jwt} } };\n`,
        ]),
      ),
    );
    for (const [name, [, message]] of Object.entries(cases)) {
      const stderr = configFailure(await migrate(root, name), join(root, name), name);
      expect(stderr, name).toContain(`  - ${message}`);
      expect(stderr, name).not.toContain("s".repeat(32));
    }
  }, 30_000);
});

describe("files the config names, checked when serve starts", () => {
  // The shop has generated code and implementations, so serve gets as far as these files.
  const serve = (configFile: string) =>
    runCli(["serve", "--config", configFile, "--port", "0", "--no-monitor"], {
      cwd: shopDir,
      env: env(scratch),
    });

  it("reports a missing TLS certificate or JWKS file as a config error in the file", async () => {
    const root = project({
      "tls.config.ts":
        'export default { server: { tls: { cert: "nope.pem", key: "nope.key" } } };\n',
      "jwks.config.ts": 'export default { auth: { jwt: { jwksFile: "no-such-jwks.json" } } };\n',
    });
    const tls = join(root, "tls.config.ts");
    expect(configFailure(await serve(tls), tls, tls)).toMatch(
      /\n {2}- server\.tls\.cert: cannot read .*nope\.pem: ENOENT/,
    );
    const jwks = join(root, "jwks.config.ts");
    expect(configFailure(await serve(jwks), jwks, jwks)).toMatch(
      /\n {2}- auth\.jwt\.jwksFile: cannot read JWKS file .*no-such-jwks\.json/,
    );
  }, 90_000);
});
