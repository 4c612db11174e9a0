import type { Argv } from "yargs";
import { Parser } from "yargs/helpers";
import { CliError } from "./cli-error.js";

/** Exit code for command-line usage errors (unknown command, flag or option value). */
export const USAGE_EXIT_CODE = 2;

/**
 * yargs turns `--force=maybe` into `force: false` without a word. This checks the raw
 * arguments against the command's boolean flags and refuses any value other than true/false.
 * Runs as a yargs middleware, after the command's builder has declared its options.
 */
export function rejectBadFlagValues(rawArgs: readonly string[], yargs: Argv): void {
  const declared = declaredOptions(yargs);
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

/**
 * yargs turns `--port abc` into `port: NaN`, and a command checking the range then reports
 * "got NaN". This refuses a number flag whose value is not a number, quoting what was typed
 * (read again from the raw arguments, as text). Runs as a yargs middleware, like
 * {@link rejectBadFlagValues}.
 */
export function rejectNonNumbers(
  rawArgs: readonly string[],
  parsed: Record<string, unknown>,
  yargs: Argv,
): void {
  const declared = declaredOptions(yargs);
  const name = declared.number.find((option) => isNotANumber(parsed[option]));
  if (name === undefined) return;
  const typed = Parser([...rawArgs], {
    string: [name],
    boolean: declared.boolean,
    alias: declared.alias,
  })[name] as unknown;
  const texts = (Array.isArray(typed) ? typed : [typed]).filter((v) => v !== undefined);
  const text = texts.map(String).find((value) => Number.isNaN(Number(value)));
  const command = parsed["_"];
  const got = text === undefined ? "" : `, got ${JSON.stringify(text)}`;
  throw new CliError(`--${name} must be a number${got}`, {
    hint: `grpc-cfg ${Array.isArray(command) ? `${command.join(" ")} ` : ""}--help describes --${name}.`,
    exitCode: USAGE_EXIT_CODE,
  });
}

function isNotANumber(value: unknown): boolean {
  return Array.isArray(value) ? value.some(isNotANumber) : Number.isNaN(value);
}

interface DeclaredOptions {
  boolean: string[];
  number: string[];
  alias: Record<string, string[]>;
}

// getOptions() exists on every yargs instance but is missing from @types/yargs.
function declaredOptions(yargs: Argv): DeclaredOptions {
  return (yargs as unknown as { getOptions(): DeclaredOptions }).getOptions();
}
