import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { reportError } from "./report-error.js";

function report(error: unknown): { code: number; text: string } {
  let text = "";
  const code = reportError(error, (chunk) => (text += chunk));
  return { code, text };
}

describe("reportError", () => {
  it("prints a CliError as error and hint lines with its exit code", () => {
    const { code, text } = report(
      new CliError("no such key", { hint: "run keys list", exitCode: 2 }),
    );
    expect(code).toBe(2);
    expect(text).toBe("error: no such key\nhint: run keys list\n");
  });

  it("says why an unexpected failure happened by printing its causes", () => {
    const inner = new Error("permission denied for database postgres");
    const { code, text } = report(new Error("migration step failed", { cause: inner }));
    expect(code).toBe(1);
    expect(text).toMatch(/^error: unexpected failure\nError: migration step failed\n/);
    expect(text).toContain("caused by: permission denied for database postgres");
  });

  it("never prints the parameters a Drizzle query error carries", () => {
    const driver = new Error('duplicate key value violates unique constraint "api_keys_hash"');
    const wrapped = new DrizzleQueryError(
      "insert into api_keys (hash) values ($1)",
      ["5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"],
      driver,
    );
    const { text } = report(wrapped);
    expect(text).toContain("a database query failed");
    expect(text).toContain("caused by: duplicate key value");
    expect(text).not.toContain("5e884898");
  });
});
