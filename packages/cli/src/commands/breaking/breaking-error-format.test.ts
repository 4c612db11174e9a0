// `grpc-cfg breaking --error-format`: the real CLI binary and real buf, against a real git
// repository in a temp project.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCliProject,
  requireBuiltCli,
  type CliProject,
} from "../../../../../tests/cli-support/cli-project.js";

const GREETER_PROTO = "proto/demo/v1/greeter.proto";

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, stdio: "ignore" });
}

describe("grpc-cfg breaking --error-format", () => {
  let project: CliProject;
  let original: string;

  beforeAll(async () => {
    requireBuiltCli();
    project = await createCliProject();
    original = await project.read(GREETER_PROTO);
    git(project.dir, "init", "-q", "-b", "main");
    git(project.dir, "add", "buf.yaml", "buf.gen.yaml", "proto");
    git(project.dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "p");
  });
  afterAll(() => project.dispose());

  it("json: a breaking change as buf's object, with its range; exit 1 as before", async () => {
    await project.write(GREETER_PROTO, original.replace("  int32 count = 2;\n", ""));
    const run = await project.run(["breaking", "--against", "main", "--error-format", "json"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    const [finding, ...rest] = run.stdout.trimEnd().split("\n");
    expect(rest).toEqual([]);
    expect(JSON.parse(finding!)).toEqual({
      path: GREETER_PROTO,
      start_line: expect.any(Number),
      start_column: 1,
      end_line: expect.any(Number),
      end_column: 2,
      type: "FIELD_NO_DELETE",
      message: expect.stringContaining('Previously present field "2" with name "count"'),
    });
    expect(run.stderr).toContain("error: 1 breaking change against main");
  });

  it("github-actions: compile errors come out as annotations too", async () => {
    await project.write(GREETER_PROTO, original.replace("int32 count = 2;", "int32 count = two;"));
    const run = await project.run([
      "breaking",
      "--against",
      "main",
      "--error-format",
      "github-actions",
    ]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error file=proto\/demo\/v1\/greeter\.proto,line=\d+,col=\d+,endLine=\d+,endColumn=\d+::/m,
    );
    expect(run.stderr).toMatch(/^error: \d+ compile errors?: the \.proto files do not compile/m);
  });

  it("json: nothing on stdout when nothing broke", async () => {
    const run = await project.run(["breaking", "--against", "main", "--error-format", "json"]);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(0);
  });
});
