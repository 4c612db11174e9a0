// `grpc-cfg lint --error-format`: the real CLI binary and real buf in a temp project.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCliProject,
  requireBuiltCli,
  type CliProject,
} from "../../../../../tests/cli-support/cli-project.js";
import { jsonLines } from "../testdata/json-lines.js";

const GREETER_PROTO = "proto/demo/v1/greeter.proto";

describe("grpc-cfg lint --error-format", () => {
  let project: CliProject;
  let original: string;

  beforeAll(async () => {
    requireBuiltCli();
    project = await createCliProject();
    original = await project.read(GREETER_PROTO);
  });
  afterAll(() => project.dispose());

  it("json: nothing on stdout and exit 0 for a clean project", async () => {
    const run = await project.run(["lint", "--error-format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("");
    expect(run.code).toBe(0);
  });

  it("json: one buf-shaped object per line for rule findings and unformatted files", async () => {
    await project.write(
      GREETER_PROTO,
      original
        .replaceAll("StreamGreetingsResponse", "stream_greetings_response")
        .replace("package demo.v1;", "package   demo.v1 ;"),
    );
    const run = await project.run(["lint", "--error-format", "json"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    const findings = jsonLines(run.stdout);
    const pascal = findings.find((finding) => finding["type"] === "MESSAGE_PASCAL_CASE");
    expect(pascal).toMatchObject({
      path: GREETER_PROTO,
      start_line: expect.any(Number),
      start_column: 9,
      end_line: pascal?.["start_line"],
      // buf's range covers the name.
      end_column: 9 + "stream_greetings_response".length,
      message: expect.stringContaining('Message name "stream_greetings_response"'),
    });
    expect(Object.keys(pascal!)).toEqual([
      "path",
      "start_line",
      "start_column",
      "end_line",
      "end_column",
      "type",
      "message",
    ]);
    // The format check's finding points at the first line buf format would change.
    expect(findings).toContainEqual(
      expect.objectContaining({ path: GREETER_PROTO, type: "FORMAT", start_line: 3 }),
    );
    // stderr keeps the summary, not the diff nor the text findings.
    expect(run.stderr).toMatch(/^error: \d+ lint findings, 1 file not formatted$/m);
    expect(run.stderr).not.toContain("diff -u");
    expect(run.stderr).not.toContain("(MESSAGE_PASCAL_CASE)");
  });

  it("json: compile errors too", async () => {
    await project.write(GREETER_PROTO, original.replace("int32 count = 2;", "int32 count = two;"));
    const run = await project.run(["lint", "--error-format", "json"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toContainEqual(
      expect.objectContaining({ path: GREETER_PROTO, type: "COMPILE" }),
    );
    expect(run.stderr).toMatch(/^error: \d+ compile errors?/m);
  });

  it("github-actions: ::error annotations with file, range and rule", async () => {
    await project.write(
      GREETER_PROTO,
      original
        .replaceAll("StreamGreetingsResponse", "stream_greetings_response")
        .replace("package demo.v1;", "package   demo.v1 ;"),
    );
    const run = await project.run(["lint", "--error-format", "github-actions"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error file=proto\/demo\/v1\/greeter\.proto,line=\d+,col=9,endLine=\d+,endColumn=34,title=MESSAGE_PASCAL_CASE::Message name "stream_greetings_response" should be PascalCase/m,
    );
    expect(run.stdout).toMatch(
      /^::error file=proto\/demo\/v1\/greeter\.proto,line=3,col=1,title=FORMAT::/m,
    );
    expect(run.stderr).toMatch(/^error: /m);
  });

  it("an unknown format is a usage error (exit 2)", async () => {
    const run = await project.run(["lint", "--error-format", "xml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error-format");
  });
});
