import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { initFiles } from "../commands/init/init-files.js";
import { renderTemplate } from "./templates.js";

describe("renderTemplate", () => {
  it("fills every placeholder", () => {
    expect(renderTemplate("package {{pkg}}; // {{pkg}}", { pkg: "acme.v1" })).toBe(
      "package acme.v1; // acme.v1",
    );
  });

  it("throws on a placeholder without a value instead of writing it out", () => {
    expect(() => renderTemplate("a {{missing}}", {}, "x.tmpl")).toThrow(
      "x.tmpl: no value for {{missing}}",
    );
  });
});

describe("initFiles", () => {
  it("renders every scaffold file with the project's names and no placeholder left", async () => {
    const files = await initFiles({
      projectName: "@acme/orders",
      protoPackage: "acme.orders.v1",
      cliVersion: "1.2.3",
    });
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "package.json",
        "buf.yaml",
        "buf.gen.yaml",
        "proto/acme/orders/v1/greeter.proto",
        "grpc-cfg.config.ts",
        "tsconfig.json",
        "src/greeter/grpc-services.ts",
        "src/greeter/grpc-services.test.ts",
        ".gitignore",
        "README.md",
        ".github/workflows/grpc.yml",
      ]),
    );
    for (const file of files) expect(file.content, file.path).not.toMatch(/\{\{\w+\}\}/);
    const byPath = new Map(files.map((file) => [file.path, file.content]));
    expect(byPath.get("proto/acme/orders/v1/greeter.proto")).toContain("package acme.orders.v1;");
    expect(byPath.get("src/greeter/grpc-services.ts")).toContain(
      'from "../gen/acme/orders/v1/greeter.grpc-cfg.js"',
    );
    const manifest = JSON.parse(byPath.get("package.json") ?? "{}") as Record<
      string,
      Record<string, string>
    >;
    expect(manifest["dependencies"]?.["@grpc-cfg/runtime"]).toBe("^1.2.3");
  });

  it("runs ts-proto with 64-bit integers as bigints, so values past 2^53 survive", async () => {
    const files = await initFiles({
      projectName: "demo",
      protoPackage: "demo.v1",
      cliVersion: "0.1.0",
    });
    const bufGen = parse(files.find((file) => file.path === "buf.gen.yaml")?.content ?? "") as {
      plugins: { local: string; opt?: string[] }[];
    };
    const tsProto = bufGen.plugins.find((plugin) => plugin.local === "protoc-gen-ts_proto");
    expect(tsProto?.opt).toEqual([
      "outputServices=nice-grpc",
      "outputServices=generic-definitions",
      "useExactTypes=false",
      "esModuleInterop=true",
      "importSuffix=.js",
      "forceLong=bigint",
    ]);
  });

  it("writes a CI workflow that runs lint, the generated-code check, breaking on PRs and the tests", async () => {
    const files = await initFiles({
      projectName: "demo",
      protoPackage: "demo.v1",
      cliVersion: "0.1.0",
    });
    const workflow =
      files.find((file) => file.path === ".github/workflows/grpc.yml")?.content ?? "";
    expect(workflow).toContain("run: npm ci");
    expect(workflow).toContain("run: npx grpc-cfg lint");
    expect(workflow).toContain("run: npx grpc-cfg generate --check");
    expect(workflow).toMatch(
      /if: github\.event_name == 'pull_request'[\s\S]*npx grpc-cfg breaking --against '\.git#branch=main'/,
    );
    expect(workflow).toContain("run: npm test");
  });
});
