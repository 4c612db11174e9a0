import type { Argv, CommandModule } from "yargs";
import { withProjectOptions, type ProjectArgs } from "../project/project-options.js";
import { withErrorFormatOption, type ErrorFormat } from "./lint/error-format.js";

/** Arguments of `grpc-cfg lint`. */
export interface LintArgs extends ProjectArgs {
  readonly fix: boolean | undefined;
  readonly "error-format": ErrorFormat;
}

/** `grpc-cfg lint [--fix]`: buf lint plus a buf format check over the project's protos. */
export const lintCommand: CommandModule<object, LintArgs> = {
  command: "lint",
  describe: "Lint the .proto files (buf lint) and check their formatting (buf format)",
  builder: (yargs: Argv) =>
    withErrorFormatOption(withProjectOptions(yargs))
      .option("fix", {
        type: "boolean",
        describe: "Rewrite badly formatted files (buf format -w) instead of failing",
      })
      .example("$0 lint", "CI: fail on lint findings or unformatted files")
      .example(
        "$0 lint --error-format github-actions",
        "GitHub Actions: findings as annotations on the pull request",
      ) as Argv<LintArgs>,
  handler: async (args) => {
    const { runLint } = await import("./lint/run-lint.js");
    await runLint({ ...args, errorFormat: args["error-format"] });
  },
};
