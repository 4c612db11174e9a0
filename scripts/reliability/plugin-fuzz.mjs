#!/usr/bin/env node
// Plugin fuzz: FUZZ_FILES (30) random valid .proto files from FUZZ_SEED (1) — nested
// messages, enums, maps, oneofs, well-known types, cross-file imports, all four call kinds,
// grpc_cfg options, names that collide with JavaScript — generated with the real pipeline
// (`grpc-cfg generate`: buf + ts-proto + protoc-gen-grpc-cfg). Verdict: generation succeeds
// and the output type-checks under `tsc --noEmit` with the repository's strict settings.
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  cpSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runScenario } from "./lib/harness.mjs";
import { prng, randomProtoFile } from "./lib/random-proto.mjs";
import { app, repo } from "./lib/stack.mjs";

const FILES = Number(process.env.FUZZ_FILES ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 1);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

await runScenario("plugin-fuzz", async (s) => {
  const project = mkdtempSync(path.join(tmpdir(), "grpc-cfg-fuzz-"));
  if (!process.env.FUZZ_KEEP)
    s.cleanups.push(() => rmSync(project, { recursive: true, force: true }));
  else s.log(`project kept in ${project}`);
  symlinkSync(path.join(repo, "node_modules"), path.join(project, "node_modules"));
  cpSync(path.join(app, "buf.gen.yaml"), path.join(project, "buf.gen.yaml"));
  writeFileSync(
    path.join(project, "package.json"),
    '{ "name": "fuzz", "private": true, "type": "module" }\n',
  );
  writeFileSync(path.join(project, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n");
  writeFileSync(
    path.join(project, "grpc-cfg.config.mjs"),
    'export default { generated: "src/gen", apps: ["src"] };\n',
  );
  const r = prng(SEED);
  const files = [];
  for (let i = 0; i < FILES; i++) {
    const file = randomProtoFile(r, i, files);
    files.push(file);
    mkdirSync(path.dirname(path.join(project, "proto", file.path)), { recursive: true });
    writeFileSync(path.join(project, "proto", file.path), file.text);
  }
  const text = files.map((f) => f.text).join("\n");
  s.figure("seed / files", [SEED, FILES]);
  s.figure("services / rpcs / streaming rpcs", [
    (text.match(/^service /gm) ?? []).length,
    (text.match(/^ {2}rpc /gm) ?? []).length,
    (text.match(/^ {2}rpc .*stream /gm) ?? []).length,
  ]);

  const started = performance.now();
  const generate = run(
    process.execPath,
    [path.join(repo, "packages/cli/bin/grpc-cfg.js"), "generate"],
    project,
  );
  s.figure("generate seconds", ((performance.now() - started) / 1000).toFixed(1));
  s.check(
    "grpc-cfg generate succeeds",
    generate.ok,
    generate.ok ? "" : generate.output.slice(0, 2000),
  );
  if (!generate.ok) return;
  const generated = readdirSync(path.join(project, "src/gen"), { recursive: true }).filter((f) =>
    String(f).endsWith(".ts"),
  );
  s.figure("generated .ts files", generated.length);
  s.check(
    "one grpc-cfg file per fuzz proto",
    generated.filter((f) => /file\d+\.grpc-cfg\.ts$/.test(String(f))).length === FILES,
  );

  writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      extends: path.join(repo, "tsconfig.base.json"),
      compilerOptions: {
        noEmit: true,
        rootDir: ".",
        composite: false,
        declaration: false,
        declarationMap: false,
        incremental: false,
      },
      include: ["src/gen/**/*.ts"],
    }),
  );
  const tscStarted = performance.now();
  const tsc = run(
    process.execPath,
    [path.join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
    project,
  );
  s.figure("tsc seconds", ((performance.now() - tscStarted) / 1000).toFixed(1));
  const errors = (tsc.output.match(/error TS\d+/g) ?? []).length;
  s.check(
    "generated code type-checks (tsc --noEmit, strict)",
    tsc.ok,
    tsc.ok ? "" : `${errors} errors:\n${tsc.output.slice(0, 3000)}`,
  );
});
