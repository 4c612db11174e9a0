#!/usr/bin/env node
// `npm run test:reliability`: every reliability and security scenario, one at a time (each
// is its own process and database; db-faults stops the shared PostgreSQL cluster, so nothing
// else may run beside it), then a summary table. Exit code 1 if any scenario failed; a
// scenario this machine cannot run (e.g. multi-host without root) shows as SKIP with its
// reason and does not fail the run.
// Env: SOAK_SECONDS (300), ONLY=name,name to run a subset.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const SCENARIOS = [
  "plugin-fuzz",
  "bad-input",
  "secrets",
  "shutdown",
  "crash",
  "multi-instance",
  "multi-host",
  "workers",
  "db-faults",
  "soak",
];
const only = process.env.ONLY ? process.env.ONLY.split(",") : null;
const dir = mkdtempSync(path.join(tmpdir(), "grpc-cfg-reliability-"));
const results = [];
const started = performance.now();

for (const name of SCENARIOS.filter((n) => !only || only.includes(n))) {
  const resultFile = path.join(dir, `${name}.json`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, `${name}.mjs`)], {
      stdio: "inherit",
      env: { ...process.env, RELIABILITY_RESULT_FILE: resultFile },
    });
    // Bound each scenario: the soak's own length plus 5 minutes.
    const limitMs = (name === "soak" ? Number(process.env.SOAK_SECONDS ?? 300) + 300 : 300) * 1000;
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.once("exit", (exit, signal) => {
      clearTimeout(timer);
      resolve(exit ?? signal);
    });
  });
  const result = existsSync(resultFile)
    ? JSON.parse(readFileSync(resultFile, "utf8"))
    : { name, passed: false, seconds: null, checks: [], error: `exited ${code} without a result` };
  const skipped = code === 0 ? (result.skipped ?? null) : null;
  results.push({ ...result, skipped, passed: !skipped && result.passed && code === 0 });
}
rmSync(dir, { recursive: true, force: true });

const line = (cells) => cells.map((c, i) => String(c).padEnd([16, 8, 10, 60][i])).join(" ");
process.stdout.write(`\n${line(["scenario", "verdict", "seconds", "failed checks"])}\n`);
for (const r of results) {
  const failed =
    r.checks
      .filter((c) => !c.ok)
      .map((c) => c.label)
      .join("; ") ||
    (r.error ?? "");
  const verdict = r.skipped ? "SKIP" : r.passed ? "PASS" : "FAIL";
  const detail = r.skipped ? `skipped: ${r.skipped}` : failed;
  process.stdout.write(`${line([r.name, verdict, r.seconds ?? "-", detail])}\n`);
}
const total = Math.round((performance.now() - started) / 1000);
const passed = results.filter((r) => r.passed).length;
const skipped = results.filter((r) => r.skipped);
const skipNote = skipped.length
  ? `, ${skipped.length} SKIPPED (${skipped.map((r) => r.name).join(", ")})`
  : "";
process.stdout.write(`\n${passed}/${results.length} scenarios passed${skipNote} in ${total} s\n`);
process.exitCode = passed + skipped.length === results.length ? 0 : 1;
