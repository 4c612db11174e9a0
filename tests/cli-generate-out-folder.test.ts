// `grpc-cfg generate` and the output folder, end to end: the real CLI, buf and plugins in a
// temp copy of a small project. grpc-cfg.config.ts's `generated` decides where generated
// code goes (serve loads it from there); a buf.gen.yaml whose out: says otherwise is warned
// about, never overridden or followed in silence.
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliProject, requireBuiltCli, type CliProject } from "./cli-support/cli-project.js";

describe("grpc-cfg generate: output folder", () => {
  let project: CliProject;

  beforeAll(async () => {
    requireBuiltCli();
    project = await createCliProject();
    const template = await project.read("buf.gen.yaml");
    await project.write("buf.gen.yaml", template.replaceAll("out: src/gen", "out: src/generated"));
  });
  afterAll(() => project.dispose());

  it("without a config: writes to buf.gen.yaml's out: and says serve looks in src/gen", async () => {
    const warning =
      "warning: protoc-gen-grpc-cfg writes to src/generated (out: in buf.gen.yaml), but grpc-cfg " +
      'serve looks for grpc-cfg.manifest.ts in src/gen (the default of "generated"); create ' +
      'grpc-cfg.config.ts with: export default { generated: "src/generated" }\n';
    const run = await project.run(["generate"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^generated src\/generated: /);
    expect(run.stderr).toBe(warning);
    expect(project.exists("src/generated/grpc-cfg.manifest.ts")).toBe(true);
    // The no-op run repeats it: the two folders still disagree.
    const again = await project.run(["generate"]);
    expect(again.stdout).toMatch(/^src\/generated up to date/);
    expect(again.stderr).toBe(warning);
    // And serve, which finds no manifest in src/gen, says where generate put it rather than
    // telling the user to run generate again.
    const serve = await project.run(["serve", "--port", "0", "--no-monitor"]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(
      'hint: grpc-cfg generate last wrote to src/generated: set generated: "src/generated" in ' +
        "grpc-cfg.config.ts (or change buf.gen.yaml's out: to match)",
    );
  });

  it("with generated in the config: writes there and names the out: it replaces", async () => {
    await project.write("grpc-cfg.config.mjs", 'export default { generated: "src/gen" };\n');
    try {
      const run = await project.run(["generate"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^generated src\/gen: /);
      expect(run.stderr).toBe(
        'warning: grpc-cfg.config.mjs sets generated: "src/gen", which replaces out: ' +
          "src/generated in buf.gen.yaml; writing to src/gen. Give both the same folder to " +
          "silence this warning.\n",
      );
      expect(project.exists("src/gen/grpc-cfg.manifest.ts")).toBe(true);
      // Agreeing again silences it.
      await project.write(
        "grpc-cfg.config.mjs",
        'export default { generated: "src/generated" };\n',
      );
      const agreed = await project.run(["generate"]);
      expect(agreed.code).toBe(0);
      expect(agreed.stderr).toBe("");
      // Up to date, yet a repeated option is refused as by every other command (the fast
      // no-op path would let the last one win).
      const repeated = await project.run([
        "generate",
        "--out",
        "src/generated",
        "--out=src/generated",
      ]);
      expect(repeated.code).toBe(2);
      expect(repeated.stderr).toContain("error: --out given more than once");
    } finally {
      await rm(path.join(project.dir, "grpc-cfg.config.mjs"));
    }
  });
});
