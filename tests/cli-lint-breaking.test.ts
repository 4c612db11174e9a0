// `grpc-cfg lint` and `grpc-cfg breaking` end to end: the real CLI binary and real buf, in
// temp copies of a small project (breaking also with a real git repository).
import { execFileSync } from "node:child_process";
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCliProject,
  repoRoot,
  requireBuiltCli,
  type CliProject,
} from "./cli-support/cli-project.js";

const GREETER_PROTO = "proto/demo/v1/greeter.proto";

describe("grpc-cfg lint", () => {
  let project: CliProject;
  let original: string;

  beforeAll(async () => {
    requireBuiltCli();
    project = await createCliProject();
    original = await project.read(GREETER_PROTO);
  });
  afterAll(() => project.dispose());

  it("passes a clean project (grpc-cfg's options import resolves without a copy)", async () => {
    const run = await project.run(["lint"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("lint: OK (buf lint and buf format found nothing)\n");
    expect(project.exists("proto/grpc_cfg/v1/options.proto")).toBe(false);
  });

  it("names the file, position and rule of a lint finding", async () => {
    await project.write(
      GREETER_PROTO,
      original.replaceAll("StreamGreetingsResponse", "stream_greetings_response"),
    );
    const run = await project.run(["lint"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^proto\/demo\/v1\/greeter\.proto:\d+:\d+: Message name "stream_greetings_response" should be PascalCase.* \(MESSAGE_PASCAL_CASE\)$/m,
    );
    expect(run.stderr).toMatch(/^error: \d+ lint findings?$/m);
  });

  it("lists badly formatted files with the diff, and --fix formats them", async () => {
    await project.write(GREETER_PROTO, original.replace("package demo.v1;", "package   demo.v1 ;"));
    const run = await project.run(["lint"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("-package   demo.v1 ;\n+package demo.v1;");
    expect(run.stderr).toContain("not formatted: proto/demo/v1/greeter.proto");
    expect(run.stderr).toContain(
      "hint: Format the files with grpc-cfg lint --fix (buf format -w).",
    );

    const fix = await project.run(["lint", "--fix"]);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain("formatted proto/demo/v1/greeter.proto");
    expect(await project.read(GREETER_PROTO)).toBe(original);
  });

  it("leaves the formatting of paths buf.yaml's lint ignores alone, with and without --fix", async () => {
    const bufYaml = await project.read("buf.yaml");
    // A vendored module ignored by its own lint settings, and a folder of the main module
    // ignored by the workspace's.
    await project.write(
      "buf.yaml",
      bufYaml
        .replace(
          "  - path: proto\n",
          "  - path: proto\n  - path: vendor\n    lint:\n      ignore:\n        - vendor\n",
        )
        .replace("lint:\n  use:", "lint:\n  ignore:\n    - proto/third_party\n  use:"),
    );
    const messy = 'syntax = "proto3";\npackage   acme.v1 ;\nmessage   Thing {  string   a = 1; }\n';
    await project.write("vendor/acme/v1/thing.proto", messy);
    await project.write("proto/third_party/v1/other.proto", messy.replace("acme", "third_party"));
    const run = await project.run(["lint"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // Not ignored: still checked, and --fix formats it and only it.
    await project.write(GREETER_PROTO, original.replace("package demo.v1;", "package   demo.v1 ;"));
    const check = await project.run(["lint"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("not formatted: proto/demo/v1/greeter.proto\n");
    expect(check.stderr).not.toContain("thing.proto");
    expect(check.stderr).not.toContain("other.proto");
    const fix = await project.run(["lint", "--fix"]);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain("formatted proto/demo/v1/greeter.proto\n");
    expect(await project.read(GREETER_PROTO)).toBe(original);
    expect(await project.read("vendor/acme/v1/thing.proto")).toBe(messy);
    expect(await project.read("proto/third_party/v1/other.proto")).toBe(
      messy.replace("acme", "third_party"),
    );
    await project.write("buf.yaml", bufYaml);
    await rm(path.join(project.dir, "vendor"), { recursive: true });
    await rm(path.join(project.dir, "proto/third_party"), { recursive: true });
  });

  it("reports compile errors as file:line:column", async () => {
    await project.write(GREETER_PROTO, original.replace("int32 count = 2;", "int32 count = two;"));
    const run = await project.run(["lint"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^proto\/demo\/v1\/greeter\.proto:\d+:\d+: /m);
    expect(run.stderr).toMatch(/^error: \d+ compile errors?/m);
  });
});

describe("grpc-cfg breaking", () => {
  let project: CliProject;
  let original: string;

  beforeAll(async () => {
    requireBuiltCli();
    project = await createCliProject();
    original = await project.read(GREETER_PROTO);
    git(project.dir, "init", "-q", "-b", "main");
    git(project.dir, "add", "buf.yaml", "buf.gen.yaml", "proto");
    commit(project.dir, "protos");
  });
  afterAll(() => project.dispose());

  it("finds nothing when the protos match the ref", async () => {
    const run = await project.run(["breaking", "--against", "main"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("breaking: OK, no breaking changes against main\n");
  });

  it("reports a deleted field against a bare git ref and against buf's .git# form", async () => {
    await project.write(GREETER_PROTO, original.replace("  int32 count = 2;\n", ""));
    for (const against of ["main", "HEAD", ".git#branch=main"]) {
      const run = await project.run(["breaking", "--against", against]);
      expect(run.code, against).toBe(1);
      expect(run.stderr).toMatch(
        /^proto\/demo\/v1\/greeter\.proto:\d+:\d+: Previously present field "2" with name "count" .* \(FIELD_NO_DELETE\)$/m,
      );
      expect(run.stderr).toContain(`error: 1 breaking change against ${against}`);
    }
    await project.write(GREETER_PROTO, original);
  });

  it("names a deleted file by its path, with no made-up position", async () => {
    const extra = "proto/demo/v1/extra.proto";
    await project.write(extra, 'syntax = "proto3";\n\npackage demo.v1;\n\nmessage Extra {}\n');
    git(project.dir, "add", extra);
    commit(project.dir, "extra");
    await rm(path.join(project.dir, extra));
    const run = await project.run(["breaking", "--against", "HEAD"]);
    await project.write(extra, 'syntax = "proto3";\n\npackage demo.v1;\n\nmessage Extra {}\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'proto/demo/v1/extra.proto: Previously present file "demo/v1/extra.proto" was deleted. (FILE_NO_DELETE)\n',
    );
    expect(run.stderr).not.toContain("<input>");
    expect(run.stderr).toContain("A moved or renamed .proto file counts as deleted");
  });

  it("says which side does not compile instead of counting compile errors as breaking changes", async () => {
    const broken = original.replace("int32 count = 2;", "int32 count = two;");
    await project.write(GREETER_PROTO, broken);
    const ours = await project.run(["breaking", "--against", "main"]);
    expect(ours.code).toBe(1);
    expect(ours.stderr).toMatch(/^proto\/demo\/v1\/greeter\.proto:\d+:\d+: /m);
    expect(ours.stderr).toMatch(
      /^error: \d+ compile errors?: the \.proto files do not compile, so they were not compared against main\nhint: Fix the \.proto files at the positions above/m,
    );
    expect(ours.stderr).not.toContain("breaking change");

    // The other side: a commit whose protos do not compile, named the way git names it.
    git(project.dir, "add", GREETER_PROTO);
    commit(project.dir, "broken");
    await project.write(GREETER_PROTO, original);
    const theirs = await project.run(["breaking", "--against", "HEAD"]);
    git(project.dir, "add", GREETER_PROTO);
    commit(project.dir, "fixed");
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toMatch(/^HEAD:proto\/demo\/v1\/greeter\.proto:\d+:\d+: /m);
    expect(theirs.stderr).toMatch(
      /^error: the \.proto files of HEAD do not compile \(\d+ compile errors?\), so nothing was compared$/m,
    );
    expect(theirs.stderr).not.toContain("breaking change");
    expect(theirs.stderr).not.toContain("grpc-cfg-ws-");
  });

  it("compares through buf's own git input when the project ships the options itself", async () => {
    // Like this repository's root: grpc_cfg/v1/options.proto is one of the project's files.
    await cp(path.join(repoRoot, "proto/grpc_cfg"), path.join(project.dir, "proto/grpc_cfg"), {
      recursive: true,
    });
    git(project.dir, "add", "proto");
    commit(project.dir, "own options");
    await project.write(GREETER_PROTO, original.replace("  int32 count = 2;\n", ""));
    const run = await project.run(["breaking", "--against", "main"]);
    await project.write(GREETER_PROTO, original);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("(FIELD_NO_DELETE)");
  });

  it("explains an --against that is neither a ref nor a path, and a missing or empty --against", async () => {
    const unknown = await project.run(["breaking", "--against", "no-such-branch"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: --against no-such-branch: not a git ref, nor a path");
    const missing = await project.run(["breaking"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Missing required argument: against");
    const empty = await project.run(["breaking", "--against", ""]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("error: --against is empty: say what to compare with\nhint: ");
  });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, stdio: "ignore" });
}

/** Commits what is staged, with a fixed identity (CI machines often have none). */
function commit(cwd: string, message: string): void {
  git(cwd, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", message);
}
