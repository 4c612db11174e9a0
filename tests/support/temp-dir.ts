import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A new folder under the OS temp directory (named `<prefix>XXXXXX`), removed with everything
 * in it when the running test finishes, passed or failed. Call it inside a test: a test run
 * must not leave folders behind on a developer's machine or a shared CI runner.
 */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
