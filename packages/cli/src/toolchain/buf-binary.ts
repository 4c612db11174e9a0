import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError } from "../util/cli-error.js";
import { runProcess, type ProcessResult } from "../util/process-runner.js";
import { cliPackageDir, findPackage } from "./node-packages.js";

/** How to start buf: `command` plus `prefixArgs` before buf's own arguments. */
export interface BufBinary {
  readonly command: string;
  readonly prefixArgs: readonly string[];
  /** The @bufbuild/buf version (part of the generate fingerprint). */
  readonly version: string;
}

/** The platform package @bufbuild/buf installs its native binary from, as its launcher names it. */
function platformPackage(): string {
  const arch = os.arch() === "arm64" && process.platform === "linux" ? "aarch64" : os.arch();
  const platform = process.platform === "win32" ? "win32" : process.platform;
  return `@bufbuild/buf-${platform}-${arch === "arm" ? "armv7" : arch}`;
}

/**
 * Resolves buf from the @bufbuild/buf package the CLI depends on (never from PATH, so every
 * machine runs the same version). Prefers the native binary of the platform package, which
 * skips the Node launcher's start-up cost; falls back to the launcher.
 */
export function resolveBuf(): BufBinary {
  const buf = findPackage("@bufbuild/buf", [cliPackageDir]);
  if (!buf) {
    throw new CliError("the buf CLI (@bufbuild/buf) is not installed", {
      hint: "Install it beside grpc-cfg: npm install @bufbuild/buf",
    });
  }
  const native = findPackage(platformPackage(), [buf.dir, cliPackageDir]);
  const exe = process.platform === "win32" ? "buf.exe" : "buf";
  const nativeBinary = native ? path.join(native.dir, "bin", exe) : undefined;
  if (nativeBinary && existsSync(nativeBinary)) {
    return { command: nativeBinary, prefixArgs: [], version: buf.version };
  }
  return {
    command: process.execPath,
    prefixArgs: [path.join(buf.dir, "bin", "buf")],
    version: buf.version,
  };
}

/** Runs buf to completion with the given working folder and environment. */
export function runBuf(
  buf: BufBinary,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<ProcessResult> {
  return runProcess(buf.command, [...buf.prefixArgs, ...args], options);
}
