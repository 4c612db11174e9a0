#!/usr/bin/env node
// Codegen benchmark (`npm run bench:codegen`): how much grpc-cfg adds on top of plain buf +
// ts-proto, and what a no-op `grpc-cfg generate` costs. Prints figures; it is not a test.
//
// Corpus: googleapis from the `google-proto-files` package — every .proto with a service in
// a fixed list of real product APIs (≥ 100 files), plus everything they import. Runs, each
// the median of RUNS (1 and 2 interleaved):
//   1. plain  `buf generate` with ts-proto only (into a fresh folder each time)
//   2. `grpc-cfg generate --force` (ts-proto + protoc-gen-grpc-cfg + syncing into the project)
//   3. a no-op `grpc-cfg generate` (nothing changed)
// Environment: BENCH_RUNS (default 5), BENCH_TS_PROTO_STRATEGY (default all).
// Goals: (2) / (1) ≤ 1.3, and (3) ≤ 0.3 s.
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const googleRoot = path.join(repoRoot, "node_modules/google-proto-files");
const cli = path.join(repoRoot, "packages/cli/bin/grpc-cfg.js");
const buf = path.join(repoRoot, "node_modules/.bin/buf");

/** Product API packages of the corpus (their latest stable versions in googleapis). */
const PACKAGES = [
  "google/pubsub/v1",
  "google/logging/v2",
  "google/longrunning",
  "google/iam/v1",
  "google/iam/v2",
  "google/iam/admin/v1",
  "google/cloud/tasks/v2",
  "google/cloud/scheduler/v1",
  "google/cloud/secretmanager/v1",
  "google/cloud/kms/v1",
  "google/cloud/redis/v1",
  "google/cloud/functions/v2",
  "google/spanner/v1",
  "google/spanner/admin/database/v1",
  "google/spanner/admin/instance/v1",
  "google/firestore/v1",
  "google/firestore/admin/v1",
  "google/datastore/v1",
  "google/datastore/admin/v1",
  "google/bigtable/v2",
  "google/bigtable/admin/v2",
  "google/cloud/language/v2",
  "google/cloud/translate/v3",
  "google/cloud/speech/v2",
  "google/cloud/texttospeech/v1",
  "google/cloud/vision/v1",
  "google/cloud/workflows/v1",
  "google/cloud/workflows/executions/v1",
  "google/storage/v2",
  "google/monitoring/v3",
  "google/devtools/cloudbuild/v1",
  "google/cloud/run/v2",
  "google/cloud/dialogflow/cx/v3",
  "google/cloud/dataproc/v1",
  "google/cloud/bigquery/storage/v1",
  "google/cloud/talent/v4",
  "google/cloud/memcache/v1",
  "google/cloud/filestore/v1",
  "google/cloud/batch/v1",
  "google/container/v1",
  "google/cloud/dataplex/v1",
  "google/cloud/osconfig/v1",
  "google/cloud/asset/v1",
];

const TS_PROTO_PLUGIN = {
  local: "protoc-gen-ts_proto",
  out: "src/gen",
  // The pipeline's setting; BENCH_TS_PROTO_STRATEGY=directory measures buf's per-folder runs.
  strategy: process.env.BENCH_TS_PROTO_STRATEGY ?? "all",
  opt: [
    "outputServices=nice-grpc",
    "outputServices=generic-definitions",
    "useExactTypes=false",
    "esModuleInterop=true",
    "importSuffix=.js",
  ],
};
const GRPC_CFG_PLUGIN = { local: "protoc-gen-grpc-cfg", out: "src/gen", strategy: "all" };

function main() {
  if (!existsSync(path.join(repoRoot, "packages/cli/dist/bin/grpc-cfg.js"))) {
    throw new Error("build first: npm run build");
  }
  const project = mkdtempSync(path.join(os.tmpdir(), "grpc-cfg-bench-"));
  try {
    const corpus = buildCorpus(project);
    console.log(
      `corpus: ${corpus.files} .proto files from google-proto-files (${corpus.serviceFiles} with ` +
        `services, ${corpus.services} services, ${corpus.methods} methods), ${RUNS} runs each`,
    );
    const env = {
      ...process.env,
      PATH: `${path.join(repoRoot, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`,
    };

    // Interleaved (plain, grpc-cfg, plain, …) so that load drifting on a shared machine hits
    // both sides alike.
    const plainSamples = [];
    const fullSamples = [];
    for (let run = 0; run < RUNS; run += 1) {
      const out = mkdtempSync(path.join(os.tmpdir(), "grpc-cfg-bench-out-"));
      try {
        plainSamples.push(
          timed(buf, ["generate", "--template", "buf.gen.ts-proto.yaml", "-o", out], project, env),
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      fullSamples.push(
        timed(process.execPath, [cli, "generate", "--force", "--quiet"], project, env),
      );
    }
    const plain = summarise(plainSamples);
    const full = summarise(fullSamples);
    report("plain buf generate (ts-proto only)", plain);
    report("grpc-cfg generate --force", full);

    const noop = medianOf(RUNS, () =>
      timed(process.execPath, [cli, "generate", "--quiet"], project, env),
    );
    report("grpc-cfg generate (no-op)", noop);

    const ratio = full.median / plain.median;
    console.log(
      `\nratio grpc-cfg / plain: ${ratio.toFixed(2)}x (goal <= 1.3x) ${ratio <= 1.3 ? "OK" : "OVER"}`,
    );
    console.log(
      `no-op: ${(noop.median / 1000).toFixed(3)} s (goal <= 0.3 s) ${noop.median <= 300 ? "OK" : "OVER"}`,
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/** Copies the service files of PACKAGES and their import closure into `project/proto`. */
function buildCorpus(project) {
  const seeds = PACKAGES.flatMap((pkg) =>
    protoFilesIn(path.join(googleRoot, pkg)).map((f) => path.join(pkg, f)),
  );
  const serviceSeeds = seeds.filter((file) => /^service\s/m.test(read(file)));
  const wanted = new Set();
  const queue = [...serviceSeeds];
  while (queue.length > 0) {
    const file = queue.pop();
    // buf ships the well-known types itself.
    if (wanted.has(file) || file.startsWith("google/protobuf/")) continue;
    wanted.add(file);
    for (const match of read(file).matchAll(/^import\s+(?:public\s+|weak\s+)?"([^"]+)";/gm))
      queue.push(match[1]);
  }
  if (serviceSeeds.length < 100)
    throw new Error(`corpus too small: ${serviceSeeds.length} service files`);
  for (const file of wanted) {
    const target = path.join(project, "proto", file);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(googleRoot, file), target);
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(project, "node_modules"));
  writeFileSync(path.join(project, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n");
  writeFileSync(
    path.join(project, "buf.gen.ts-proto.yaml"),
    JSON.stringify({ version: "v2", plugins: [TS_PROTO_PLUGIN] }),
  );
  writeFileSync(
    path.join(project, "buf.gen.yaml"),
    JSON.stringify({ version: "v2", plugins: [TS_PROTO_PLUGIN, GRPC_CFG_PLUGIN] }),
  );
  const sources = serviceSeeds.map(read).join("\n");
  return {
    files: wanted.size,
    serviceFiles: serviceSeeds.length,
    services: (sources.match(/^service\s/gm) ?? []).length,
    methods: (sources.match(/^\s*rpc\s/gm) ?? []).length,
  };
}

function protoFilesIn(dir) {
  if (!existsSync(dir))
    throw new Error(`google-proto-files has no ${path.relative(googleRoot, dir)}`);
  return readdirSync(dir, { recursive: true })
    .filter((file) => String(file).endsWith(".proto"))
    .map(String);
}

function read(file) {
  return readFileSync(path.join(googleRoot, file), "utf8");
}

/** Runs a command, fails loudly on a non-zero exit, returns wall milliseconds. */
function timed(command, args, cwd, env) {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(command)} ${args.join(" ")} failed (${result.status}):\n${result.stderr}`,
    );
  }
  return elapsed;
}

function medianOf(runs, measure) {
  return summarise(Array.from({ length: runs }, measure));
}

function summarise(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], samples };
}

function report(label, { median, samples }) {
  const all = samples.map((ms) => (ms / 1000).toFixed(2)).join(" ");
  console.log(`${label.padEnd(38)} median ${(median / 1000).toFixed(2)} s   (runs: ${all})`);
}

try {
  execFileSync(buf, ["--version"], { stdio: "ignore" });
  main();
} catch (error) {
  console.error(`bench:codegen failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
