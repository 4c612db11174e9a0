import { readFileSync, statSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GenerateSettings } from "../../project/grpc-cfg-config.js";

/** Where `grpc-cfg generate` remembers its last run, relative to the project root. */
export const STATE_FILE = ".grpc-cfg/generate.json";

/** Size and mtime of a file as last written (cheap to compare on the no-op path). */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

/** The config file's settings as last loaded, and what they were loaded from. */
export interface CachedConfig {
  /** Absolute path of grpc-cfg.config.ts. */
  readonly file: string;
  /** sha256 of the config file and each local module it imported, by absolute path. */
  readonly sourceHashes: Readonly<Record<string, string>>;
  readonly settings: GenerateSettings;
}

/** Contents of {@link STATE_FILE}. */
export interface GenerateState {
  readonly version: 1;
  /** Identity of the grpc-cfg CLI that wrote the state; another CLI ignores the cache. */
  readonly cli: string;
  /** Hash over every input of the last successful run (see fingerprint.ts). */
  readonly fingerprint: string;
  readonly config: CachedConfig | undefined;
  /** Every generated file of the last run, project-relative, with its stamp after writing. */
  readonly outputs: Readonly<Record<string, FileStamp>>;
  readonly services: number;
  readonly methods: number;
}

/** Reads the state file; `undefined` when missing, unreadable or from another format. */
export function readGenerateState(projectRoot: string): GenerateState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(projectRoot, STATE_FILE), "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const state = parsed as Partial<GenerateState>;
    if (state.version !== 1 || typeof state.fingerprint !== "string") return undefined;
    if (typeof state.outputs !== "object" || state.outputs === null) return undefined;
    return state as GenerateState;
  } catch {
    return undefined;
  }
}

/** Writes the state file atomically (a crash leaves the old one or the new one). */
export async function writeGenerateState(projectRoot: string, state: GenerateState): Promise<void> {
  const file = path.join(projectRoot, STATE_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, file);
}

/** Stamps a file as it is now; `undefined` when it does not exist. */
export function stampOf(file: string): FileStamp | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
}

/** Whether every recorded output still exists exactly as it was written. */
export function outputsIntact(projectRoot: string, outputs: GenerateState["outputs"]): boolean {
  for (const [relative, stamp] of Object.entries(outputs)) {
    const now = stampOf(path.join(projectRoot, relative));
    if (!now || now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs) return false;
  }
  return true;
}
