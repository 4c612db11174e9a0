import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { commands } from "./commands/index.js";
import { CliError } from "./util/cli-error.js";

/**
 * Runs the `grpc-cfg` CLI with the given arguments (without `node` and the script path).
 * Resolves to the process exit code instead of exiting, so tests can call it in-process.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs([...argv])
    .scriptName("grpc-cfg")
    .usage("$0 <command> [options]\n\nProto-first gRPC for TypeScript.")
    .command(commands)
    .demandCommand(1, "Name a command: grpc-cfg --help lists them.")
    .recommendCommands()
    .strict()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${msg}\nRun grpc-cfg --help to see the commands and options.\n`);
      exitCode = 2;
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    exitCode = reportError(error);
  }
  return exitCode || (process.exitCode as number | undefined) || 0;
}

function reportError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`error: unexpected failure\n${text}\n`);
  return 1;
}

/** Entry point used by the `grpc-cfg` bin. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(hideBin(process.argv));
}
