import type { Argv } from "yargs";
import { CliError } from "./cli-error.js";

/** Exit code for command-line usage errors (unknown command, flag or option value). */
export const USAGE_EXIT_CODE = 2;

/**
 * yargs turns `--force=maybe` into `force: false` without a word. This checks the raw
 * arguments against the command's boolean flags and refuses any value other than true/false.
 * Runs as a yargs middleware, after the command's builder has declared its options.
 */
export function rejectBadFlagValues(rawArgs: readonly string[], yargs: Argv): void {
  // getOptions() exists on every yargs instance but is missing from @types/yargs.
  const declared = (yargs as unknown as { getOptions(): { boolean: string[] } }).getOptions();
  const booleans = new Set(declared.boolean);
  for (const arg of rawArgs) {
    if (arg === "--") return;
    const match = /^--(?:no-)?([^=]+)=(.*)$/.exec(arg);
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    if (booleans.has(name) && value !== "true" && value !== "false") {
      throw new CliError(`--${name} is a flag and takes no value, got "${value}"`, {
        hint: `Write --${name} (or --${name}=true / --${name}=false).`,
        exitCode: USAGE_EXIT_CODE,
      });
    }
  }
}
