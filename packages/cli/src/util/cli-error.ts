/**
 * An error meant for the person at the terminal: `message` says what is wrong, `hint` what to
 * do about it. The CLI prints both (no stack trace) and exits with `exitCode`.
 */
export class CliError extends Error {
  /** What to do about it, printed under the message. */
  readonly hint: string | undefined;
  /** Process exit code; 1 unless a command documents otherwise. */
  readonly exitCode: number;

  constructor(
    message: string,
    options: { hint?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}
