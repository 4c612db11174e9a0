import type { Argv, CommandModule } from "yargs";
import { withProjectOptions, type ProjectArgs } from "../project/project-options.js";

/** Arguments of `grpc-cfg generate`. */
export interface GenerateArgs extends ProjectArgs {
  readonly force: boolean | undefined;
  readonly check: boolean | undefined;
  readonly templates: string | undefined;
  readonly out: string | undefined;
}

/**
 * `grpc-cfg generate [--check] [--force] [--templates DIR] [--out DIR]`. This module is
 * loaded on every CLI start, so it only declares options; the work (and its imports) is
 * loaded when the command runs.
 */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate TypeScript from the .proto files (ts-proto + grpc-cfg service classes)",
  builder: (yargs: Argv) =>
    withProjectOptions(yargs)
      // No defaults on these two: yargs would count a default as "given" for conflicts().
      .option("check", {
        type: "boolean",
        describe: "Only compare: exit 1 listing stale, missing or extra generated files (for CI)",
      })
      .option("force", {
        type: "boolean",
        describe: "Regenerate even when no input changed since the last run",
      })
      .option("templates", {
        type: "string",
        requiresArg: true,
        describe: "Folder of custom templates for protoc-gen-grpc-cfg (see templates eject)",
      })
      .option("out", {
        type: "string",
        requiresArg: true,
        describe: "Output folder, replacing every plugin's out: in buf.gen.yaml",
      })
      .conflicts("check", "force")
      .example("$0 generate", "Regenerate when a .proto, template or tool changed")
      .example(
        "$0 generate --check",
        "CI: fail when generated code is not up to date",
      ) as Argv<GenerateArgs>,
  handler: async (args) => {
    const { runGenerate } = await import("./generate/run-generate.js");
    await runGenerate(args);
  },
};
