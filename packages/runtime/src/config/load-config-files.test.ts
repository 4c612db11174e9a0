// loadConfig on real config files, in a plain Node process through the built runtime
// (testdata/config/node-load-config.mjs): vitest loads modules its own way, and how Node and
// tsx load a config file (package type, CommonJS, errors) is what these tests are about.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { writeTree } from "../../../../tests/support/temp-dir.js";

const script = fileURLToPath(new URL("../testdata/config/node-load-config.mjs", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "grpc-cfg-load-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  ok: boolean;
  port?: number;
  configFile?: string;
  name?: string;
  message?: string;
  issues?: string[];
  source?: string | null;
}

let projects = 0;
/** A fresh folder holding `files` (path → text). */
function project(files: Record<string, string>): string {
  return writeTree(join(scratch, `p${++projects}`), files);
}

async function load(root: string, configFile?: string): Promise<Outcome> {
  const args = [script, root, ...(configFile ? [configFile] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  return JSON.parse(stdout) as Outcome;
}

/** Loads a config that must fail: the ConfigError's fields, checked to name the file. */
async function failure(root: string, configFile: string): Promise<Outcome> {
  const outcome = await load(root, configFile);
  expect(outcome.ok, JSON.stringify(outcome)).toBe(false);
  expect(outcome.name).toBe("ConfigError");
  expect(outcome.source).toBe(join(root, configFile));
  expect(outcome.message).toContain(`Invalid configuration in ${join(root, configFile)}:`);
  // One clear line, never a stack trace.
  expect(outcome.message).not.toMatch(/^\s+at /m);
  return outcome;
}

const CJS_PACKAGE = JSON.stringify({ name: "cjs-app", version: "1.0.0" });
const PLAIN_CONFIG = "export default { server: { port: 50071 }, monitor: { enabled: false } };\n";

describe("loadConfig: TypeScript whatever the package type", () => {
  it('loads grpc-cfg.config.ts in a package without "type": "module"', async () => {
    const root = project({ "package.json": CJS_PACKAGE, "grpc-cfg.config.ts": PLAIN_CONFIG });
    expect(await load(root)).toEqual({
      ok: true,
      port: 50071,
      configFile: join(root, "grpc-cfg.config.ts"),
    });
  });

  it("loads a .ts config with no package.json around it, importing a .ts helper", async () => {
    const root = project({
      "conf/valid.config.ts":
        'import { port } from "./port.ts";\nexport default { server: { port } };\n',
      "conf/port.ts": "export const port: number = 50072;\n",
    });
    expect((await load(root, "conf/valid.config.ts")).port).toBe(50072);
  });

  it('still loads one in a "type": "module" package', async () => {
    const root = project({
      "package.json": '{"type":"module"}',
      "grpc-cfg.config.ts": PLAIN_CONFIG,
    });
    expect((await load(root)).port).toBe(50071);
  });
});

describe("loadConfig: a Promise as the default export", () => {
  const promised = "export default Promise.resolve({ server: { port: 50073 } });\n";

  it("is awaited, in an ES module package and in a CommonJS one", async () => {
    const esm = project({ "package.json": '{"type":"module"}', "grpc-cfg.config.ts": promised });
    expect((await load(esm)).port).toBe(50073);
    const cjs = project({ "package.json": CJS_PACKAGE, "grpc-cfg.config.ts": promised });
    expect((await load(cjs)).port).toBe(50073);
  });

  it("that rejects is reported like a file that throws", async () => {
    const root = project({
      "bad.config.ts": 'export default Promise.reject(new Error("no settings today"));\n',
    });
    expect((await failure(root, "bad.config.ts")).message).toContain("no settings today");
  });

  it("while an async function is still refused", async () => {
    const root = project({ "fn.config.ts": "export default async () => ({});\n" });
    expect((await failure(root, "fn.config.ts")).issues).toEqual([
      "(config): the file must `export default defineConfig({ ... })`",
    ]);
  });
});

describe("loadConfig: a file that fails to load is a ConfigError naming it", () => {
  it("when it throws an Error or anything else", async () => {
    const root = project({
      "throws.config.ts": 'throw new Error("boom from config");\nexport default {};\n',
      "string.config.ts": 'throw "a plain string";\nexport default {};\n',
    });
    const thrown = await failure(root, "throws.config.ts");
    expect(thrown.issues).toHaveLength(1);
    expect(thrown.issues?.[0]).toMatch(/^\(config\): .*boom from config/);
    expect(thrown.issues?.[0]).toContain("throws.config.ts:1:");
    const string = await failure(root, "string.config.ts");
    expect(string.issues?.[0]).toMatch(/^\(config\): .*"a plain string"/);
  });

  it("with a syntax error: file:line:column and esbuild's message", async () => {
    const root = project({
      "syntax.config.ts": "export default {\n  server: { port: 1\n  oops: 2 }\n};\n",
    });
    const { issues } = await failure(root, "syntax.config.ts");
    expect(issues).toEqual([
      `(config): syntax error at ${join(root, "syntax.config.ts")}:3:2: Expected "}" but found "oops"`,
    ]);
  });

  it("with a syntax error in JavaScript: file:line:column and Node's message", async () => {
    // Node's import() gives a bad module's SyntaxError without its place; it must still be named.
    const bad = "export default {\n  server: { port: 1,, }\n};\n";
    const root = project({
      "syntax.config.mjs": bad,
      "syntax.config.cjs": "module.exports = {\n  server: {;\n};\n",
      "esm/package.json": JSON.stringify({ type: "module" }),
      "esm/syntax.config.js": bad,
    });
    expect((await failure(root, "syntax.config.mjs")).issues).toEqual([
      `(config): syntax error at ${join(root, "syntax.config.mjs")}:2:21: Unexpected token ','`,
    ]);
    expect((await failure(root, "syntax.config.cjs")).issues).toEqual([
      `(config): syntax error at ${join(root, "syntax.config.cjs")}:2:12: Unexpected token ';'`,
    ]);
    expect((await failure(root, "esm/syntax.config.js")).issues).toEqual([
      `(config): syntax error at ${join(root, "esm/syntax.config.js")}:2:21: Unexpected token ','`,
    ]);
  });

  it("with a missing import, in either package type: names what is missing", async () => {
    const files = {
      "missing.config.ts": 'import x from "./nope.js";\nexport default x;\n',
      "package.config.ts": 'import x from "not-a-package-xyz";\nexport default x;\n',
    };
    for (const type of ["module", "commonjs"]) {
      const root = project({ ...files, "package.json": JSON.stringify({ type }) });
      const local = await failure(root, "missing.config.ts");
      expect(local.issues?.[0]).toMatch(/^\(config\): cannot find module .*nope\.js/);
      expect(local.issues?.[0]).toContain(`imported from ${join(root, "missing.config.ts")}`);
      const pkg = await failure(root, "package.config.ts");
      expect(pkg.issues?.[0]).toMatch(
        /^\(config\): cannot find (module|package) .*not-a-package-xyz/,
      );
    }
  });

  it("with an extension it cannot load, listing the ones it can", async () => {
    const root = project({ "config/x.json": '{"server":{"port":1}}' });
    const { issues } = await failure(root, "config/x.json");
    expect(issues).toEqual([
      "(config): cannot load a .json file; use .ts, .mts, .cts, .js, .mjs or .cjs",
    ]);
  });
});
