// `grpc-cfg templates eject` and custom templates end to end: the real CLI binary, real buf
// and the real protoc-gen-grpc-cfg, in a temp copy of a small project.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCliProject,
  repoRoot,
  requireBuiltCli,
  type CliProject,
} from "./cli-support/cli-project.js";

const SERVICE_TEMPLATE = "templates/service-file.ts.hbs";
const GREETER_BASE = "src/gen/demo/v1/greeter.grpc-cfg.ts";

describe("grpc-cfg templates eject and custom templates", () => {
  let project: CliProject;

  beforeAll(async () => {
    requireBuiltCli();
    project = await createCliProject();
  });
  afterAll(() => project.dispose());

  it("copies the bundled templates into ./templates", async () => {
    const run = await project.run(["templates", "eject"]);
    expect(run.code).toBe(0);
    const bundled = (await readdir(path.join(repoRoot, "packages/codegen/templates"))).sort();
    expect((await readdir(path.join(project.dir, "templates"))).sort()).toEqual(bundled);
    expect(run.stdout).toContain(`copied ${bundled.length} templates`);
    const bundledTemplate = path.join(repoRoot, "packages/codegen/templates/service-file.ts.hbs");
    expect(await project.read(SERVICE_TEMPLATE)).toBe(await readFile(bundledTemplate, "utf8"));
  });

  it("refuses to overwrite ejected files unless --force", async () => {
    await project.write(SERVICE_TEMPLATE, "edited\n");
    const refused = await project.run(["templates", "eject"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not overwriting existing template files: templates/");
    expect(refused.stderr).toContain("hint: Pass --force");
    expect(await project.read(SERVICE_TEMPLATE)).toBe("edited\n");

    const forced = await project.run(["templates", "eject", "--force"]);
    expect(forced.code).toBe(0);
    expect(await project.read(SERVICE_TEMPLATE)).not.toBe("edited\n");
  });

  it("generates with an edited template given by --templates, and regenerates when it changes", async () => {
    expect((await project.run(["generate"])).code).toBe(0);
    expect(await project.read(GREETER_BASE)).not.toContain("CUSTOM-MARK");

    const template = await project.read(SERVICE_TEMPLATE);
    expect(template).toContain("{{header}}\n");
    await project.write(
      SERVICE_TEMPLATE,
      template.replace("{{header}}\n", "{{header}}\n// CUSTOM-MARK-1\n"),
    );
    const run = await project.run(["generate", "--templates", "templates"]);
    expect(run.code).toBe(0);
    expect(await project.read(GREETER_BASE)).toContain("// CUSTOM-MARK-1");

    // The template folder is part of the fingerprint: an edit is not skipped as a no-op.
    await project.write(
      SERVICE_TEMPLATE,
      template.replace("{{header}}\n", "{{header}}\n// CUSTOM-MARK-2\n"),
    );
    const again = await project.run(["generate", "--templates", "templates"]);
    expect(again.stdout).toMatch(/^generated src\/gen: [1-9]/);
    expect(await project.read(GREETER_BASE)).toContain("// CUSTOM-MARK-2");
  });

  it("takes the template folder from grpc-cfg.config.ts and from $GRPC_CFG_TEMPLATES", async () => {
    const template = await project.read(SERVICE_TEMPLATE);
    await project.write(SERVICE_TEMPLATE, template.replace("CUSTOM-MARK-2", "CUSTOM-MARK-CONFIG"));
    await project.write(
      "grpc-cfg.config.ts",
      'const generate: { templates: string } = { templates: "./templates" };\nexport default { generate };\n',
    );
    const fromConfig = await project.run(["generate"]);
    expect(fromConfig.code).toBe(0);
    expect(await project.read(GREETER_BASE)).toContain("// CUSTOM-MARK-CONFIG");

    await project.write("grpc-cfg.config.ts", "export default {};\n");
    const bundled = await project.run(["generate"]);
    expect(bundled.code).toBe(0);
    expect(await project.read(GREETER_BASE)).not.toContain("CUSTOM-MARK");

    const fromEnv = await project.run(["generate"], { env: { GRPC_CFG_TEMPLATES: "templates" } });
    expect(fromEnv.code).toBe(0);
    expect(await project.read(GREETER_BASE)).toContain("// CUSTOM-MARK-CONFIG");
  });

  it("names a bad config value", async () => {
    await project.write("grpc-cfg.config.ts", "export default { generate: { templates: 42 } };\n");
    const run = await project.run(["generate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "error: grpc-cfg.config.ts: generate.templates must be a folder path (a string)",
    );
    await project.write("grpc-cfg.config.ts", "export default {};\n");
  });
});
