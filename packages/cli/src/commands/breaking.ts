import type { Argv, CommandModule } from "yargs";
import { withProjectOptions, type ProjectArgs } from "../project/project-options.js";
import { CliError } from "../util/cli-error.js";
import { USAGE_EXIT_CODE } from "../util/flag-values.js";
import { withErrorFormatOption, type ErrorFormat } from "./lint/error-format.js";

/** Arguments of `grpc-cfg breaking`. */
export interface BreakingArgs extends ProjectArgs {
  readonly against: string;
  readonly "error-format": ErrorFormat;
}

/** `grpc-cfg breaking --against REF`: buf breaking against a git ref, folder or buf input. */
export const breakingCommand: CommandModule<object, BreakingArgs> = {
  command: "breaking",
  describe: "Report breaking changes of the .proto files against a git ref or another input",
  builder: (yargs: Argv) =>
    withErrorFormatOption(withProjectOptions(yargs))
      .option("against", {
        type: "string",
        demandOption: "Say what to compare with: --against main (a git ref, folder or buf input)",
        requiresArg: true,
        describe: "Git ref (main, v1.0.0, HEAD~1), buf input (.git#branch=main) or folder",
      })
      .example("$0 breaking --against main", "Compare with the main branch")
      .example(
        "$0 breaking --against .git#tag=v1.0.0",
        "buf's input syntax works too",
      ) as Argv<BreakingArgs>,
  handler: async (args) => {
    // `--against ""` would otherwise reach git and fail as an unknown ref (exit 1).
    if (String(args.against).trim() === "") {
      throw new CliError("--against is empty: say what to compare with", {
        hint: "Give a git ref (--against main), a folder, or a buf input such as .git#branch=main.",
        exitCode: USAGE_EXIT_CODE,
      });
    }
    const { runBreaking } = await import("./breaking/run-breaking.js");
    await runBreaking({ ...args, errorFormat: args["error-format"] });
  },
};
