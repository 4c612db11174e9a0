/**
 * How a command talks to the person at the terminal while it works.
 *
 * - `step` lines show progress on long runs. They go to stderr and only on a TTY, so CI logs
 *   and piped output stay clean.
 * - `result` lines are the outcome (a summary, "OK"); they go to stdout unless `--quiet`.
 * - `warn` lines always go to stderr: something the user should know even when quiet.
 */
export interface Progress {
  /** Announces the next step of a long run (TTY only, never when quiet). */
  step(label: string): void;
  /** Prints an outcome line (stdout; suppressed by --quiet). */
  result(line: string): void;
  /** Prints a warning line (stderr; always). */
  warn(line: string): void;
}

/** Options for {@link createProgress}. */
export interface ProgressOptions {
  /** `--quiet`: only errors and warnings. */
  readonly quiet?: boolean;
  /** Overrides TTY detection (tests). Defaults to `process.stderr.isTTY`. */
  readonly interactive?: boolean;
}

/** Creates the {@link Progress} reporter a command uses. */
export function createProgress(options: ProgressOptions = {}): Progress {
  const quiet = options.quiet === true;
  const interactive = !quiet && (options.interactive ?? process.stderr.isTTY === true);
  const startedAt = performance.now();
  return {
    step(label) {
      if (!interactive) return;
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      process.stderr.write(`\u203a ${label} (${seconds}s)\n`);
    },
    result(line) {
      if (!quiet) process.stdout.write(`${line}\n`);
    },
    warn(line) {
      process.stderr.write(`warning: ${line}\n`);
    },
  };
}

/** Formats milliseconds for summaries: `850 ms`, `1.42 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
