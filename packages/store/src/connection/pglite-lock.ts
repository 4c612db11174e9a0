import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { StoreError } from "../errors.js";

const heldHere = new Set<string>();

/**
 * Takes an exclusive lock on a PGlite data folder, as `<dataDir>.lock` holding our pid.
 * PGlite runs PostgreSQL inside this process and does not lock its folder itself; two
 * processes opening the same folder would corrupt it. A lock left by a dead process (kill -9)
 * is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(lockPath);
      const release = () => {
        if (!heldHere.delete(lockPath)) return;
        process.off("exit", release);
        if (readPid(lockPath) === process.pid) rmSync(lockPath, { force: true });
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readPid(lockPath);
      if (
        holder !== null &&
        isAlive(holder) &&
        (holder !== process.pid || heldHere.has(lockPath))
      ) {
        throw new StoreError(
          "data-dir-locked",
          `the embedded database folder ${dataDir} is in use by process ${holder}; ` +
            "stop that process first (PGlite allows one process per folder), " +
            "or share a PostgreSQL server through DATABASE_URL",
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new StoreError(
    "data-dir-locked",
    `could not lock ${dataDir} (${lockPath} keeps reappearing)`,
  );
}

function readPid(lockPath: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
