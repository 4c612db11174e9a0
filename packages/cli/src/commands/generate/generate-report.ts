import path from "node:path";
import { displayPath } from "../../project/find-project.js";
import { CliError } from "../../util/cli-error.js";
import { formatDuration, type Progress } from "../../util/progress.js";
import type { GenerateState } from "./generate-state.js";
import type { OutputPlan } from "./output-sync.js";
import type { ProtoCensus } from "./proto-census.js";

/** Prints the one-line outcome of a skipped (no-op) run. */
export function reportUpToDate(
  progress: Progress,
  outDirs: readonly string[],
  projectRoot: string,
  state: GenerateState,
  elapsedMs: number,
): void {
  const files = Object.keys(state.outputs).length;
  progress.result(
    `${folders(outDirs, projectRoot)} up to date: inputs unchanged since the last run ` +
      `(${plural(files, "file")}, ${plural(state.services, "service")}, ${plural(state.methods, "method")}) ` +
      `· skipped in ${formatDuration(elapsedMs)}; --force regenerates`,
  );
}

/** Prints the summary of a run that synced files into the project. */
export function reportGenerated(
  progress: Progress,
  plan: OutputPlan,
  outDirs: readonly string[],
  projectRoot: string,
  census: ProtoCensus,
  elapsedMs: number,
): void {
  const written = plan.created.length + plan.changed.length;
  progress.result(
    `generated ${folders(outDirs, projectRoot)}: ${written} written, ${plan.unchanged.length} unchanged, ` +
      `${plan.removed.length} removed · ${plural(census.services, "service")}, ` +
      `${plural(census.methods, "method")} · ${formatDuration(elapsedMs)}`,
  );
  for (const file of plan.kept) {
    progress.warn(
      `kept ${displayPath(path.join(projectRoot, file))}: edited by hand, not overwritten`,
    );
  }
}

/**
 * Prints the outcome of `--check`: one OK line when the project matches, else every stale,
 * missing or extra file and a {@link CliError} (exit 1).
 */
export function reportCheck(progress: Progress, plan: OutputPlan, projectRoot: string): void {
  const rows: string[] = [
    ...plan.changed.map((file) => ["stale", file]),
    ...plan.conflicts.map((file) => ["stale", file]),
    ...plan.created.map((file) => ["missing", file]),
    ...plan.removed.map((file) => ["extra", file]),
  ].map(([kind, file]) => `  ${kind!.padEnd(8)}${displayPath(path.join(projectRoot, file!))}`);
  if (rows.length === 0) {
    const count = plan.unchanged.length + plan.kept.length;
    progress.result(`generate --check: OK, ${plural(count, "generated file")} up to date`);
    return;
  }
  process.stderr.write(`generated code is out of date:\n${rows.join("\n")}\n`);
  throw new CliError(`${plural(rows.length, "generated file")} out of date; nothing was changed`, {
    hint: "Run grpc-cfg generate and commit the result.",
  });
}

function folders(outDirs: readonly string[], projectRoot: string): string {
  return [...new Set(outDirs)].map((dir) => displayPath(path.join(projectRoot, dir))).join(", ");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
