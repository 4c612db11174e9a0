import { readFileSync, readdirSync, rmdirSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { listFiles } from "../../util/file-walk.js";
import type { GeneratedHeaderMatcher } from "./generated-header.js";
import { stampOf, type FileStamp } from "./generate-state.js";

/** What syncing a fresh generation into the project does (or, for --check, would do). */
export interface OutputPlan {
  /** Produced files the project lacks. */
  readonly created: readonly string[];
  /** Produced files whose project copy differs and is ours to replace. */
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  /** Generated files in the out folders that the run no longer produces. */
  readonly removed: readonly string[];
  /** Produced files left alone: the project copy is not ours (a scaffold the user edited). */
  readonly kept: readonly string[];
  /** Generated output whose path holds a hand-written file: never overwritten. */
  readonly conflicts: readonly string[];
  /** Every produced path (project-relative). */
  readonly produced: readonly string[];
}

/** Inputs of {@link planOutputSync}. */
export interface PlanInputs {
  /** Folder buf generated into (`buf generate -o`); holds project-relative paths. */
  readonly generatedDir: string;
  readonly projectRoot: string;
  /** Plugin out folders, project-relative: where stale generated files are looked for. */
  readonly outDirs: readonly string[];
  /** Outputs recorded by the last run, with their stamps. */
  readonly previousOutputs: Readonly<Record<string, FileStamp>>;
  readonly headers: GeneratedHeaderMatcher;
}

/**
 * Compares a fresh generation with the project. A project file is ours to replace or delete
 * when it carries a pipeline plugin's header, or when the last run wrote it and it has not
 * been touched since; anything else is the user's and is never changed.
 */
export function planOutputSync(inputs: PlanInputs): OutputPlan {
  const { generatedDir, projectRoot, headers, previousOutputs } = inputs;
  const ours = (relative: string): boolean => {
    const target = path.join(projectRoot, relative);
    const recorded = previousOutputs[relative];
    const now = recorded ? stampOf(target) : undefined;
    const untouched =
      now !== undefined && now.size === recorded?.size && now.mtimeMs === recorded.mtimeMs;
    return untouched || headers.matchesFile(target);
  };

  const produced = listFiles(generatedDir);
  const created: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  const kept: string[] = [];
  const conflicts: string[] = [];
  for (const relative of produced) {
    const fresh = readFileSync(path.join(generatedDir, relative));
    const existing = readOptional(path.join(projectRoot, relative));
    if (existing === undefined) created.push(relative);
    else if (existing.equals(fresh)) unchanged.push(relative);
    else if (ours(relative)) changed.push(relative);
    else if (headers.matchesContent(fresh)) conflicts.push(relative);
    else kept.push(relative);
  }

  const producedSet = new Set(produced);
  const removed = new Set<string>();
  for (const outDir of new Set(inputs.outDirs)) {
    for (const file of listFiles(path.join(projectRoot, outDir))) {
      const relative = path.posix.join(outDir.split(path.sep).join("/"), file);
      if (!producedSet.has(relative) && headers.matchesFile(path.join(projectRoot, relative))) {
        removed.add(relative);
      }
    }
  }
  for (const relative of Object.keys(previousOutputs)) {
    if (
      !producedSet.has(relative) &&
      !removed.has(relative) &&
      stampOf(path.join(projectRoot, relative)) &&
      ours(relative)
    ) {
      removed.add(relative);
    }
  }
  return { created, changed, unchanged, removed: [...removed].sort(), kept, conflicts, produced };
}

/** Whether the project matches the generation (what --check asks). */
export function isInSync(plan: OutputPlan): boolean {
  return (
    plan.created.length + plan.changed.length + plan.removed.length + plan.conflicts.length === 0
  );
}

/**
 * Applies a plan: writes created and changed files (each through a temp file and a rename, so
 * no file is ever half-written), deletes removed ones and the folders they leave empty.
 * Returns the stamps of every produced file the project now holds, for the next no-op check.
 */
export async function applyOutputSync(
  plan: OutputPlan,
  generatedDir: string,
  projectRoot: string,
  outDirs: readonly string[],
): Promise<Record<string, FileStamp>> {
  for (const relative of [...plan.created, ...plan.changed]) {
    const target = path.join(projectRoot, relative);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.grpc-cfg-${process.pid}.tmp`;
    await writeFile(temporary, readFileSync(path.join(generatedDir, relative)));
    await rename(temporary, target);
  }
  for (const relative of plan.removed) {
    await rm(path.join(projectRoot, relative), { force: true });
    pruneEmptyFolders(projectRoot, path.dirname(relative), outDirs);
  }
  const stamps: Record<string, FileStamp> = {};
  const keptSet = new Set(plan.kept);
  for (const relative of plan.produced) {
    if (keptSet.has(relative)) continue;
    const stamp = stampOf(path.join(projectRoot, relative));
    if (stamp) stamps[relative] = stamp;
  }
  return stamps;
}

/** Deletes `relativeDir` and its parents while they are empty, stopping at an out folder. */
function pruneEmptyFolders(
  projectRoot: string,
  relativeDir: string,
  outDirs: readonly string[],
): void {
  const stops = new Set(outDirs.map((dir) => path.normalize(dir)));
  for (
    let dir = path.normalize(relativeDir);
    dir !== "." && !stops.has(dir);
    dir = path.dirname(dir)
  ) {
    const absolute = path.join(projectRoot, dir);
    try {
      if (readdirSync(absolute).length > 0) return;
      rmdirSync(absolute);
    } catch {
      return;
    }
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
