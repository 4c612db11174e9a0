// `grpc-cfg init` and `grpc-cfg new service` end to end, with the real CLI binary: scaffold a
// project into a temp folder, install the workspace's packages into it (links: @grpc-cfg/*
// are not published), then run what the project's CI and README run — generate, its own
// npm test, typecheck, lint, generate --check — and serve it and call it.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, requireBuiltCli } from "./cli-support/cli-project.js";
import {
  CLI_BIN,
  cli,
  git,
  linkDependencies,
  npmRun,
  start,
  waitForOutput,
} from "./init-support/project-tools.js";

let workDir: string;

beforeAll(async () => {
  requireBuiltCli();
  workDir = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-init-test-"));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("grpc-cfg init: refusals", () => {
  it("refuses a non-empty folder and leaves it as it was", async () => {
    const dir = path.join(workDir, "busy");
    await mkdir(dir);
    await writeFile(path.join(dir, "notes.txt"), "mine\n");
    const run = await cli(["init", dir, "--no-install"], workDir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("is not empty (notes.txt)");
    expect(run.stderr).toContain("--force");
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("with --force adds the files beside existing ones, never overwriting one", async () => {
    const dir = path.join(workDir, "forced");
    await mkdir(dir);
    await writeFile(path.join(dir, "README.md"), "# my own readme\n");
    const run = await cli(
      ["init", dir, "--force", "--no-install", "--name", "forced-app"],
      workDir,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // Where it really is, not "created forced-app in forced" (relative to the working folder).
    expect(run.stdout).toContain(`created forced-app in ${dir} (`);
    expect(run.stdout).toContain("README.md (exists, left unchanged)");
    expect(await readFile(path.join(dir, "README.md"), "utf8")).toBe("# my own readme\n");
    expect(JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")).name).toBe(
      "forced-app",
    );
    expect(existsSync(path.join(dir, "proto/forced_app/v1/greeter.proto"))).toBe(true);
    // Nothing installed: no generation, and the next steps start with the install.
    expect(existsSync(path.join(dir, "src/gen"))).toBe(false);
    expect(run.stdout).toMatch(/next:\n {2}cd forced\n {2}npm install\n {2}npm run generate\n/);
  });

  it("generates right away when the dependencies are already there", async () => {
    const dir = path.join(workDir, "preinstalled");
    await mkdir(path.join(dir, "node_modules/@grpc-cfg"), { recursive: true });
    await symlink(
      path.join(repoRoot, "node_modules/@grpc-cfg/runtime"),
      path.join(dir, "node_modules/@grpc-cfg/runtime"),
    );
    const run = await cli(["init", "--force", "--no-install", "--name", "ready"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/generated src\/gen: \d+ written.* 1 service, 2 methods/);
    expect(existsSync(path.join(dir, "src/gen/ready/v1/greeter.grpc-cfg.ts"))).toBe(true);
    expect(run.stdout).toMatch(/next:\n {2}npm test\n {2}npm start\n/);
  }, 60_000);

  it("rejects a bad --name or --package before writing anything", async () => {
    const badName = await cli(["init", "fresh", "--name", "Not A Name", "--no-install"], workDir);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('--name "Not A Name" is not a valid npm package name');
    const badPackage = await cli(["init", "fresh", "--package", "acme", "--no-install"], workDir);
    expect(badPackage.code).toBe(1);
    expect(badPackage.stderr).toContain("--package acme: the last segment must be a version");
    expect(existsSync(path.join(workDir, "fresh"))).toBe(false);
  });
});

describe("a project made by grpc-cfg init", () => {
  let project: string;
  let server: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    project = path.join(workDir, "acme-greeter");
    const run = await cli(["init", "acme-greeter", "--no-install"], workDir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("proto package acme_greeter.v1");
    expect(run.stdout).toContain("npm install"); // next steps, since nothing is installed yet
    await linkDependencies(project);
  }, 30_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.on("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
  });

  it("generates, and passes its own npm test, generate --check and breaking against main", async () => {
    const generate = await cli(["generate"], project);
    expect(generate.stderr).toBe("");
    expect(generate.code).toBe(0);
    expect(generate.stdout).toContain("1 service, 2 methods");
    expect(existsSync(path.join(project, "src/gen/acme_greeter/v1/greeter.grpc-cfg.ts"))).toBe(
      true,
    );

    const test = await npmRun("test", project);
    expect(test.stdout + test.stderr).toMatch(/Tests\s+\S*5 passed/);
    expect(test.code).toBe(0);

    // As on a fresh CI checkout: .grpc-cfg/ is git-ignored, src/gen is committed.
    expect(await readFile(path.join(project, ".gitignore"), "utf8")).toMatch(/^\.grpc-cfg\/$/m);
    await rm(path.join(project, ".grpc-cfg"), { recursive: true, force: true });
    const check = await cli(["generate", "--check"], project);
    expect(check.stdout).toContain("up to date");
    expect(check.code).toBe(0);

    // The workflow's breaking step, against a main branch holding this very project.
    for (const args of [
      ["init", "-q", "-b", "main"],
      ["add", "-A"],
      ["commit", "-q", "-m", "init"],
    ]) {
      expect((await git(args, project)).code).toBe(0);
    }
    const against = ["breaking", "--against", ".git#branch=main"];
    expect((await cli(against, project)).stdout).toContain("breaking: OK");
    const protoFile = path.join(project, "proto/acme_greeter/v1/greeter.proto");
    const proto = await readFile(protoFile, "utf8");
    await writeFile(protoFile, proto.replace("string name = 1;", "string full_name = 1;"));
    const broken = await cli(against, project);
    expect(broken.code).toBe(1);
    expect(broken.stdout + broken.stderr).toContain("FIELD_SAME_NAME");
    await writeFile(protoFile, proto);
  }, 120_000);

  it("new service adds a proto and a stub; the project then lints and typechecks; never overwrites", async () => {
    const created = await cli(["new", "service", "StockLevel", "--base", "read-only"], project);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const proto = await readFile(
      path.join(project, "proto/acme_greeter/v1/stock_level.proto"),
      "utf8",
    );
    expect(proto).toContain("package acme_greeter.v1;");
    expect(proto).toContain("service StockLevelService {");
    expect(proto).toContain("{base: BASE_KIND_READ_ONLY}");
    const stubFile = path.join(project, "src/stock-level/grpc-services.ts");
    const stub = await readFile(stubFile, "utf8");
    expect(stub).toContain("export class StockLevelService extends StockLevelServiceBase {");
    expect(stub).toContain('this.unimplemented("GetStockLevel is not implemented yet")');

    // 64-bit integers are bigints in the scaffold's pipeline (forceLong=bigint): a service
    // echoing the extremes, served and called in the next test.
    await writeFile(path.join(project, "proto/acme_greeter/v1/numbers.proto"), NUMBERS_PROTO);
    await mkdir(path.join(project, "src/numbers"), { recursive: true });
    await writeFile(path.join(project, "src/numbers/grpc-services.ts"), NUMBERS_SERVICE);

    expect((await cli(["generate"], project)).code).toBe(0);
    const typecheck = await npmRun("typecheck", project);
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    expect(typecheck.code).toBe(0);

    const lint = await cli(["lint"], project);
    expect(lint.stdout).toContain("lint: OK");
    expect(lint.code).toBe(0);

    // Edited by hand, then asked for again: refused, naming the files, nothing touched.
    const edited = `${stub}// my own work\n`;
    await writeFile(stubFile, edited);
    const again = await cli(
      ["new", "service", "StockLevelService", "--base", "read-only"],
      project,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("proto/acme_greeter/v1/stock_level.proto");
    expect(again.stderr).toContain("already exist");
    expect(again.stderr).toContain("src/stock-level/grpc-services.ts");
    expect(await readFile(stubFile, "utf8")).toBe(edited);
  }, 120_000);

  it("serves both services with grpc-cfg serve on port 0 and answers grpc-cfg call", async () => {
    // The README's steps: a user and a key first (one process at a time on the embedded
    // database), then the server.
    expect((await cli(["users", "create", "ada"], project)).code).toBe(0);
    const keys = await cli(
      ["keys", "create", "--user", "ada", "--name", "laptop", "--json"],
      project,
    );
    expect(keys.code).toBe(0);
    const { key } = JSON.parse(keys.stdout) as { key: string };

    server = start(
      process.execPath,
      [CLI_BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--no-monitor"],
      project,
    );
    const [, address] = await waitForOutput(server, /listening on (127\.0\.0\.1:\d+)/, 60_000);
    const method = "acme_greeter.v1.GreeterService";

    const hello = await cli(
      ["call", address!, `${method}/SayHello`, "-d", '{"name": "Ada"}'],
      project,
    );
    expect(hello.stderr).toBe("");
    expect(JSON.parse(hello.stdout)).toEqual({ message: "Hello, Ada!" });

    const anonymous = await cli(["call", address!, `${method}/WhoAmI`], project);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain("UNAUTHENTICATED");

    const signedIn = await cli(
      ["call", address!, `${method}/WhoAmI`, "-H", `x-api-key: ${key}`],
      project,
    );
    expect(signedIn.stderr).toBe("");
    expect(JSON.parse(signedIn.stdout)).toMatchObject({ username: "ada", apiKeyName: "laptop" });

    // 64-bit integers round-trip whole, past 2^53 and at both ends of their ranges.
    const extremes = {
      signed: "-9223372036854775808",
      unsigned: "18446744073709551615",
      byId: { "9007199254740993": "past 2^53" },
    };
    const numbers = await cli(
      [
        "call",
        address!,
        "acme_greeter.v1.NumbersService/EchoNumbers",
        "-d",
        JSON.stringify(extremes),
      ],
      project,
    );
    expect(numbers.stderr).toBe("");
    expect(JSON.parse(numbers.stdout)).toEqual({ ...extremes, count: "3" });

    // The stub from `new service` was discovered too, and answers UNIMPLEMENTED.
    const stub = await cli(
      ["call", address!, "acme_greeter.v1.StockLevelService/GetStockLevel"],
      project,
    );
    expect(stub.code).toBe(1);
    expect(stub.stderr).toContain("UNIMPLEMENTED");
    expect(stub.stderr).toContain("GetStockLevel is not implemented yet");

    // npm start's server stops cleanly on SIGTERM (drain, flush logs, exit 0).
    const running = server;
    const exitCode = new Promise((resolve) => running.on("exit", (code) => resolve(code)));
    running.kill("SIGTERM");
    expect(await exitCode).toBe(0);
  }, 120_000);

  it("new service rejects a name that is not PascalCase, saying what would be", async () => {
    const run = await cli(["new", "service", "stock_level"], project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"stock_level" is not a PascalCase service name');
    expect(run.stderr).toContain("e.g. StockLevel");
    expect(existsSync(path.join(project, "src/stock_level"))).toBe(false);
  });
});

const NUMBERS_PROTO = `syntax = "proto3";

package acme_greeter.v1;

import "grpc_cfg/v1/options.proto";

service NumbersService {
  rpc EchoNumbers(EchoNumbersRequest) returns (EchoNumbersResponse) {
    option (grpc_cfg.v1.method) = {auth: AUTH_POLICY_PUBLIC};
  }
}

message EchoNumbersRequest {
  int64 signed = 1;
  uint64 unsigned = 2;
  map<int64, string> by_id = 3;
}

message EchoNumbersResponse {
  int64 signed = 1;
  uint64 unsigned = 2;
  map<int64, string> by_id = 3;
  int64 count = 4;
}
`;

const NUMBERS_SERVICE = `import { NumbersServiceBase } from "../gen/acme_greeter/v1/numbers.grpc-cfg.js";
import type { EchoNumbersRequest } from "../gen/acme_greeter/v1/numbers.js";

export class NumbersService extends NumbersServiceBase {
  async echoNumbers(request: EchoNumbersRequest) {
    const signed: bigint = request.signed;
    // A result may give a 64-bit field as a bigint, a decimal string or a number.
    return { signed, unsigned: request.unsigned.toString(), byId: request.byId, count: 3 };
  }
}
`;
