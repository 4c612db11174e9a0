import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { commands } from "./commands/index.js";
import { cliPackageDir, readPackageInfo } from "./toolchain/node-packages.js";
import { CliError } from "./util/cli-error.js";
import {
  attachDashedValues,
  rejectBadFlagValues,
  rejectNonNumbers,
  rejectRepeatedFlags,
  USAGE_EXIT_CODE,
} from "./util/flag-values.js";
import { reportError } from "./util/report-error.js";

export { USAGE_EXIT_CODE };

/**
 * Runs the `grpc-cfg` CLI with the given arguments (without `node` and the script path).
 * Resolves to the process exit code instead of exiting, so tests can call it in-process.
 *
 * Command modules are loaded with this file on every start, so they must stay light: declare
 * options at the top, `await import()` heavy modules inside the handler.
 */
export async function runCli(rawArgv: readonly string[]): Promise<number> {
  const argv = attachDashedValues(rawArgv);
  const parser: Argv = yargs([...argv])
    .scriptName("grpc-cfg")
    .usage("$0 <command> [options]\n\nProto-first gRPC for TypeScript.")
    .command(commands)
    // Applied before validation, once the command's builder has declared its options.
    .middleware((parsed): void => {
      rejectBadFlagValues(argv, parser);
      rejectRepeatedFlags(argv, parser);
      rejectNonNumbers(argv, parsed, parser);
    }, true)
    .demandCommand(1, "Name a command: grpc-cfg --help lists them.")
    .recommendCommands()
    .strict()
    .help()
    .alias("h", "help")
    .version(readPackageInfo(cliPackageDir)?.version ?? "unknown")
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message: string | undefined, error: Error | undefined) => {
      // Throwing (rather than printing) stops yargs from running the handler anyway. yargs
      // reports its own usage errors (YError) here too; anything else is a real failure.
      if (error && error.name !== "YError") throw error;
      throw new CliError(message ?? error?.message ?? "invalid command line", {
        hint: "Run grpc-cfg --help (or grpc-cfg <command> --help) to see commands and options.",
        exitCode: USAGE_EXIT_CODE,
      });
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    return reportError(error, (text) => process.stderr.write(text));
  }
  return (process.exitCode as number | undefined) ?? 0;
}

/** Entry point used by the `grpc-cfg` bin. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(hideBin(process.argv));
}
