import type { Argv, CommandModule } from "yargs";
import { withProjectOptions, type ProjectArgs } from "../project/project-options.js";

/** Arguments of `grpc-cfg lint`. */
export interface LintArgs extends ProjectArgs {
  readonly fix: boolean | undefined;
}

/** `grpc-cfg lint [--fix]`: buf lint plus a buf format check over the project's protos. */
export const lintCommand: CommandModule<object, LintArgs> = {
  command: "lint",
  describe: "Lint the .proto files (buf lint) and check their formatting (buf format)",
  builder: (yargs: Argv) =>
    withProjectOptions(yargs)
      .option("fix", {
        type: "boolean",
        describe: "Rewrite badly formatted files (buf format -w) instead of failing",
      })
      .example("$0 lint", "CI: fail on lint findings or unformatted files") as Argv<LintArgs>,
  handler: async (args) => {
    const { runLint } = await import("./lint/run-lint.js");
    await runLint(args);
  },
};
