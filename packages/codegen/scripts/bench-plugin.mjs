#!/usr/bin/env node
// Benchmark of protoc-gen-grpc-cfg alone on a large proto tree: every .proto of
// google-proto-files (googleapis + grafeas, minus google/protobuf, which buf supplies),
// through `buf generate` with only our plugin, strategy all (one CodeGeneratorRequest with
// every file). Prints wall time of buf generate and the plugin's own wall time
// and CPU time and peak RSS (measured with /usr/bin/time around the plugin). Not a test.
//   node packages/codegen/scripts/bench-plugin.mjs     (build first: npx tsc -b packages/codegen)
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const corpusRoot = path.join(repoRoot, "node_modules/google-proto-files");
const buf = path.join(repoRoot, "node_modules/.bin/buf");
const plugin = path.join(repoRoot, "packages/codegen/bin/protoc-gen-grpc-cfg.js");

const dir = mkdtempSync(path.join(os.tmpdir(), "grpc-cfg-bench-plugin-"));
try {
  let files = 0;
  for (const top of ["google", "grafeas"]) {
    for (const rel of readdirSync(path.join(corpusRoot, top), { recursive: true }).map(String)) {
      if (!rel.endsWith(".proto") || (top === "google" && rel.startsWith("protobuf/"))) continue;
      const target = path.join(dir, "proto", top, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(path.join(corpusRoot, top, rel), target);
      files++;
    }
  }
  writeFileSync(path.join(dir, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n");
  // Wraps the plugin so /usr/bin/time reports its peak RSS (kB) and wall seconds.
  const wrapper = path.join(dir, "plugin.sh");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec /usr/bin/time -f "%M %e %U %S" -o "${dir}/time.txt" "${process.execPath}" "${plugin}"\n`,
  );
  chmodSync(wrapper, 0o755);
  writeFileSync(
    path.join(dir, "buf.gen.yaml"),
    `version: v2\nplugins:\n  - local: ${wrapper}\n    out: gen\n    strategy: all\n`,
  );
  const started = performance.now();
  execFileSync(buf, ["generate"], { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
  const wall = (performance.now() - started) / 1000;
  const [rssKb, pluginSeconds, user, sys] = readFileSync(path.join(dir, "time.txt"), "utf8")
    .trim()
    .split(/\s+/);
  const outputs = readdirSync(path.join(dir, "gen"), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts"));
  const manifest = readFileSync(path.join(dir, "gen/grpc-cfg.manifest.ts"), "utf8");
  const descriptorBytes = readFileSync(path.join(dir, "gen/grpc-cfg.descriptor.ts")).length;
  console.log(`corpus: ${files} .proto files`);
  console.log(
    `outputs: ${outputs.length} files, ${(manifest.match(/fullName:/g) ?? []).length} services in the manifest`,
  );
  console.log(
    `grpc-cfg.descriptor.ts: ${(descriptorBytes / 1e6).toFixed(1)} MB, manifest: ${(manifest.length / 1e3).toFixed(0)} kB`,
  );
  console.log(`buf generate (compile + plugin): ${wall.toFixed(2)} s`);
  const cpu = (Number(user) + Number(sys)).toFixed(1);
  console.log(
    `plugin alone: ${pluginSeconds} s wall, ${cpu} s CPU, peak RSS ${(Number(rssKb) / 1024).toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
