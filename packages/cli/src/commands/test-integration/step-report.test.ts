import { describe, expect, it } from "vitest";
import { CliError } from "../../util/cli-error.js";
import { StepFailed, StepReport } from "./step-report.js";

function capture(quiet = false) {
  const lines: string[] = [];
  const report = new StepReport({
    plan: ["first", "second", "third", "cleanup"],
    quiet,
    write: (line) => lines.push(line),
  });
  return { report, lines };
}

describe("StepReport", () => {
  it("prints a line per step and a PASS summary with exit code 0", async () => {
    const { report, lines } = capture();
    expect(await report.step("first", async () => ({ value: 42, detail: "did it" }))).toBe(42);
    report.skip("second", "not enabled");
    await report.step("third", async () => ({ value: null, detail: "fine" }));
    await report.step("cleanup", async () => ({ value: null, detail: "clean" }));
    expect(report.finish()).toBe(0);
    expect(lines[0]).toMatch(/^ {2}1\/4 PASS {2}first {4}did it \(\d+ ms\)$/);
    expect(lines[1]).toBe("  2/4 SKIP  second   not enabled");
    expect(lines.at(-1)).toMatch(/^test-integration: PASS · 3 passed, 1 skipped, 0 failed · /);
  });

  it("names the failing step with its hint, lists unrun steps and returns 1", async () => {
    const { report, lines } = capture();
    await report.step("first", async () => ({ value: null, detail: "ok" }));
    const failing = report.step("second", async () => {
      throw new CliError("port 1 is taken\nby someone", { hint: "free it" });
    });
    await expect(failing).rejects.toBeInstanceOf(StepFailed);
    await report.step("cleanup", async () => ({ value: null, detail: "nothing" }));
    expect(report.failed).toBe(true);
    expect(report.finish()).toBe(1);
    const text = lines.join("\n");
    expect(text).toMatch(/2\/4 FAIL {2}second {3}port 1 is taken\n {21}by someone/);
    expect(text).toContain(`${" ".repeat(21)}hint: free it`);
    expect(text).toContain("not run: third");
    expect(lines.at(-1)).toMatch(
      /^test-integration: FAIL at step "second": port 1 is taken by someone · 2 passed, 0 skipped, 1 failed, 1 not run · /,
    );
  });

  it("prints only failures and the summary when quiet", async () => {
    const { report, lines } = capture(true);
    await report.step("first", async () => ({ value: null, detail: "ok" }));
    await report.step("second", async () => Promise.reject(new Error("boom"))).catch(() => {});
    report.finish();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("FAIL  second");
  });
});
