import type { Argv } from "yargs";

/** Options every project command takes. */
export interface ProjectArgs {
  /** Where to start looking for buf.yaml (default: the working folder). */
  readonly cwd: string | undefined;
  /** Print only errors and warnings. */
  readonly quiet: boolean;
}

/** Adds `--cwd` and `--quiet` to a command's options. */
export function withProjectOptions<T>(yargs: Argv<T>): Argv<T & ProjectArgs> {
  return yargs
    .option("cwd", {
      type: "string",
      requiresArg: true,
      describe: "Run in this project folder (buf.yaml is looked for here and above)",
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      default: false,
      describe: "Print only errors and warnings",
    }) as Argv<T & ProjectArgs>;
}
