import { CliError } from "../../util/cli-error.js";
import { formatDuration } from "../../util/progress.js";

/** How one step ended. */
export type StepStatus = "pass" | "fail" | "skip";

/** One finished step, as printed. */
export interface StepResult {
  readonly name: string;
  readonly status: StepStatus;
  readonly detail: string;
  readonly hint: string | undefined;
  readonly durationMs: number;
}

/** What a step body hands back: its value for later steps and one line for the report. */
export interface StepOutcome<T> {
  readonly value: T;
  readonly detail: string;
}

/**
 * Thrown by {@link StepReport.step} after a step failed and was printed, so the run can jump
 * to its cleanup. Carries nothing new: the report already holds the failure.
 */
export class StepFailed extends Error {
  constructor(readonly step: string) {
    super(`step "${step}" failed`);
    this.name = "StepFailed";
  }
}

/** Options of {@link StepReport}. */
export interface StepReportOptions {
  /** Every step name in order, so lines can say "3/12" and unrun steps can be listed. */
  readonly plan: readonly string[];
  /** Print only failures and the summary. */
  readonly quiet?: boolean;
  /** Where lines go (default stdout). */
  readonly write?: (line: string) => void;
}

const LABELS: Record<StepStatus, string> = { pass: "PASS", fail: "FAIL", skip: "SKIP" };

/**
 * The step-by-step report of `grpc-cfg test-integration`: one line per step as it finishes
 * (`3/12 PASS  start server  127.0.0.1:40123 … (1.20 s)`), hints under failures, and a
 * summary line. Steps print as they end so a hang shows where it is.
 */
export class StepReport {
  readonly #plan: readonly string[];
  readonly #quiet: boolean;
  readonly #write: (line: string) => void;
  readonly #results: StepResult[] = [];
  readonly #startedAt = performance.now();
  readonly #width: number;

  constructor(options: StepReportOptions) {
    this.#plan = options.plan;
    this.#quiet = options.quiet === true;
    this.#write = options.write ?? ((line) => void process.stdout.write(`${line}\n`));
    this.#width = Math.max(...options.plan.map((name) => name.length));
  }

  /** Prints a line above the steps (not in quiet mode). */
  header(line: string): void {
    if (!this.#quiet) this.#write(line);
  }

  /**
   * Runs one step. Any error fails it: the message is printed (with the hint of a
   * {@link CliError}) and {@link StepFailed} is thrown for the caller to stop and clean up.
   */
  async step<T>(name: string, work: () => Promise<StepOutcome<T>>): Promise<T> {
    const started = performance.now();
    try {
      const outcome = await work();
      this.#record(name, "pass", outcome.detail, undefined, started);
      return outcome.value;
    } catch (error) {
      const hint = error instanceof CliError ? error.hint : undefined;
      this.#record(name, "fail", messageOf(error), hint, started);
      throw new StepFailed(name);
    }
  }

  /** Records a step that did not apply, saying why. */
  skip(name: string, reason: string): void {
    this.#record(name, "skip", reason, undefined, performance.now());
  }

  /** True once any step failed. */
  get failed(): boolean {
    return this.#results.some((result) => result.status === "fail");
  }

  /** Every recorded step so far. */
  get results(): readonly StepResult[] {
    return this.#results;
  }

  /** Lists planned steps that never ran, prints the summary and returns the exit code. */
  finish(): number {
    const ran = new Set(this.#results.map((result) => result.name));
    const notRun = this.#plan.filter((name) => !ran.has(name));
    if (!this.#quiet && notRun.length > 0) {
      this.#write(`       not run: ${notRun.join(", ")}`);
    }
    const count = (status: StepStatus) => this.#results.filter((r) => r.status === status).length;
    const figures = `${count("pass")} passed, ${count("skip")} skipped, ${count("fail")} failed${notRun.length > 0 ? `, ${notRun.length} not run` : ""}`;
    const took = formatDuration(performance.now() - this.#startedAt);
    const firstFailure = this.#results.find((result) => result.status === "fail");
    this.#write(
      firstFailure
        ? `test-integration: FAIL at step "${firstFailure.name}": ${oneLine(firstFailure.detail)} · ${figures} · ${took}`
        : `test-integration: PASS · ${figures} · ${took}`,
    );
    return firstFailure ? 1 : 0;
  }

  #record(
    name: string,
    status: StepStatus,
    detail: string,
    hint: string | undefined,
    started: number,
  ): void {
    const result: StepResult = {
      name,
      status,
      detail,
      hint,
      durationMs: performance.now() - started,
    };
    this.#results.push(result);
    if (this.#quiet && status !== "fail") return;
    const position = `${this.#plan.indexOf(name) + 1}/${this.#plan.length}`.padStart(5);
    const took = status === "skip" ? "" : ` (${formatDuration(result.durationMs)})`;
    // Continuation lines (multi-line errors) and the hint line up under the detail column.
    const indent = " ".repeat(position.length + LABELS[status].length + this.#width + 5);
    const text = `${detail}${took}`.split("\n").join(`\n${indent}`);
    this.#write(`${position} ${LABELS[status]}  ${name.padEnd(this.#width)}  ${text}`);
    if (hint) this.#write(`${indent}hint: ${hint}`);
  }
}

/** A multi-line message on one line, shortened for the summary. */
function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*(- )?/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
