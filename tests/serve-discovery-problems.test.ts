// `grpc-cfg serve` when an implementation module is broken or misnamed: a discovery problem in
// one line (file, line and column of a syntax error; the missing import, with a hint to run
// `generate` when it is generated code; the misnamed file and its right name), never
// "unexpected failure" with a tsx or esbuild stack.
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServableProject, type CliProject } from "./cli-support/cli-project.js";

const HANDLERS = `import { GreeterServiceBase } from "../gen/demo/v1/greeter.grpc-cfg.js";

export class GreeterService extends GreeterServiceBase {
  async sayHello() {
    return { message: "hello" };
  }
  async *streamGreetings() {}
}
`;

describe("grpc-cfg serve and broken implementation modules", () => {
  let project: CliProject;
  const serve = (...flags: string[]) =>
    project.run(["serve", "--port", "0", "--no-monitor", ...flags], {
      env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: path.join(project.dir, "data") },
    });
  beforeAll(async () => {
    project = await createServableProject();
  }, 120_000);
  afterAll(() => project?.dispose());

  it("a syntax error: the file, line and column, and what esbuild said", async () => {
    await project.write("src/greeter/grpc-services.ts", `${HANDLERS}export const x = ;\n`);
    const run = await serve();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "error: Service discovery failed:\n" +
        "  - src/greeter/grpc-services.ts could not be loaded: syntax error at " +
        'src/greeter/grpc-services.ts:9:17: Unexpected ";"\n' +
        "hint: fix the file, or run `grpc-cfg generate` if what it imports from the generated " +
        "folder is missing\n",
    );
  }, 60_000);

  it("an import of generated code that is gone: the module, and to run generate", async () => {
    await project.write(
      "src/greeter/grpc-services.ts",
      `import { Gone } from "../gen/demo/v1/gone.grpc-cfg.js";\nvoid Gone;\n${HANDLERS}`,
    );
    const run = await serve();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "  - src/greeter/grpc-services.ts could not be loaded: cannot find module " +
        "'src/gen/demo/v1/gone.grpc-cfg.js' imported from src/greeter/grpc-services.ts " +
        "(generated code it imports is missing: run `grpc-cfg generate`; was its proto removed or renamed?)\n",
    );
    expect(run.stderr).not.toContain("unexpected failure");
    expect(run.stderr).not.toContain("    at ");
  }, 60_000);

  it("a misnamed implementation file is named, with the name it needs", async () => {
    await rm(path.join(project.dir, "src/greeter/grpc-services.ts"));
    await project.write("src/greeter/grpc-service.ts", HANDLERS);
    const run = await serve("--strict");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "  - demo.v1.GreeterService has no implementation (extend GreeterServiceBase in a " +
        "grpc-services.ts under src); this file mentions GreeterServiceBase but is not loaded, " +
        "rename: src/greeter/grpc-service.ts → src/greeter/grpc-services.ts\n",
    );
  }, 60_000);
});
