import path from "node:path";
import type { ResolvedConfig } from "@grpc-cfg/runtime";
import { readGenerateState } from "../commands/generate/generate-state.js";

/**
 * What to do about a missing manifest. When `grpc-cfg generate` last wrote it elsewhere (it
 * follows buf.gen.yaml's `out:` when the config does not set `generated`), running it again
 * would not help: say where it went and what to set instead.
 */
export function manifestHint(config: Pick<ResolvedConfig, "root" | "generated">): string {
  const written = Object.keys(readGenerateState(config.root)?.outputs ?? {}).find(
    (file) => path.posix.basename(file) === "grpc-cfg.manifest.ts",
  );
  const folder = written === undefined ? undefined : path.posix.dirname(written);
  if (
    folder !== undefined &&
    path.resolve(config.root, folder) !== path.resolve(config.root, config.generated)
  ) {
    return (
      `grpc-cfg generate last wrote to ${folder}: set generated: "${folder}" in ` +
      "grpc-cfg.config.ts (or change buf.gen.yaml's out: to match)"
    );
  }
  return "run `grpc-cfg generate`, or point `generated` in grpc-cfg.config.ts at the output folder";
}
