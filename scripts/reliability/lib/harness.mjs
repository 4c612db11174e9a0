// The verdict frame every reliability scenario uses: named checks (pass/fail with the figure
// that decided them), free-form figures, one PASS/FAIL/SKIP line at the end, exit code 1 on
// FAIL. SKIP (exit 0) is for a scenario this machine cannot run at all, with the reason.
// run-all.mjs reads the JSON result each scenario writes to RELIABILITY_RESULT_FILE.
import { writeFileSync } from "node:fs";

/** Thrown by `scenario.skip(reason)`; ends the body without failing it. */
class ScenarioSkipped extends Error {}

/**
 * Runs `body(scenario)` as the scenario `name`. `scenario.check(label, ok, detail)` records a
 * verdict, `scenario.figure(label, value)` a number worth reporting, `scenario.log(line)`
 * progress, `scenario.skip(reason)` ends it as SKIP (only when no check has failed yet,
 * otherwise it is a FAIL). `cleanup` functions pushed onto `scenario.cleanups` always run,
 * last first. The result has `skipped`: the reason, or null.
 */
export async function runScenario(name, body) {
  const started = performance.now();
  const checks = [];
  const figures = {};
  const cleanups = [];
  const scenario = {
    log: (line) => process.stdout.write(`[${name}] ${line}\n`),
    figure(label, value) {
      figures[label] = value;
      process.stdout.write(`[${name}]   ${label}: ${format(value)}\n`);
    },
    check(label, ok, detail = "") {
      checks.push({ label, ok: Boolean(ok), detail: String(detail) });
      process.stdout.write(
        `[${name}] ${ok ? "ok  " : "FAIL"} ${label}${detail ? ` (${detail})` : ""}\n`,
      );
      return Boolean(ok);
    },
    skip(reason) {
      throw new ScenarioSkipped(String(reason));
    },
    cleanups,
  };
  let error = null;
  let skipped = null;
  try {
    await body(scenario);
  } catch (caught) {
    if (caught instanceof ScenarioSkipped) {
      skipped = caught.message;
      process.stdout.write(`[${name}] skipped: ${skipped}\n`);
    } else {
      error = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
      scenario.check("scenario ran to the end", false, firstLine(error));
      process.stderr.write(`[${name}] ${error}\n`);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (caught) {
        process.stderr.write(`[${name}] cleanup failed: ${String(caught)}\n`);
      }
    }
  }
  if (skipped !== null && checks.some((c) => !c.ok)) skipped = null;
  const passed = skipped === null && checks.length > 0 && checks.every((c) => c.ok);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const verdict = skipped !== null ? `SKIP (${skipped})` : passed ? "PASS" : "FAIL";
  process.stdout.write(`[${name}] ${verdict} in ${seconds} s\n`);
  const result = { name, passed, skipped, seconds, checks, figures, error };
  if (process.env.RELIABILITY_RESULT_FILE) {
    writeFileSync(process.env.RELIABILITY_RESULT_FILE, JSON.stringify(result, null, 2));
  }
  process.exitCode = passed || skipped !== null ? 0 : 1;
  return result;
}

function format(value) {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function firstLine(text) {
  return text.split("\n")[0];
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(probe, { timeoutMs = 10_000, everyMs = 100 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) return null;
    await sleep(everyMs);
  }
}
