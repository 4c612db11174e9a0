import path from "node:path";
import { resolveConfig } from "@grpc-cfg/runtime";
import { describe, expect, it } from "vitest";
import type { BufGenYaml } from "../../project/buf-config.js";
import { DEFAULT_GENERATED, outFolderWarnings } from "./out-folder-warnings.js";

const root = "/work/project";

function template(tsProtoOut: string, grpcCfgOut: string): BufGenYaml {
  const plugins = [
    { local: "protoc-gen-ts_proto", out: tsProtoOut },
    { local: "protoc-gen-grpc-cfg", out: grpcCfgOut },
  ];
  return {
    plugins: plugins.map((raw) => ({ local: raw.local, out: raw.out, raw })),
    inputs: undefined,
    raw: { version: "v2", plugins },
  };
}

const at = (folder: string) => path.join(root, folder);

describe("outFolderWarnings", () => {
  it("is quiet when buf.gen.yaml, the config and serve agree", () => {
    const sources = { projectRoot: root, flagOut: undefined };
    expect(
      outFolderWarnings({
        ...sources,
        template: template("src/gen", "src/gen"),
        configFile: undefined,
        configOut: undefined,
      }),
    ).toEqual([]);
    expect(
      outFolderWarnings({
        ...sources,
        template: template("lib/gen", "lib/gen"),
        configFile: at("grpc-cfg.config.ts"),
        configOut: at("lib/gen"),
      }),
    ).toEqual([]);
  });

  it("without generated in a config, says where serve looks when out: is elsewhere", () => {
    const warnings = (configFile: string | undefined) =>
      outFolderWarnings({
        projectRoot: root,
        template: template("src/generated", "src/generated"),
        configFile,
        configOut: undefined,
        flagOut: undefined,
      });
    expect(warnings(undefined)).toEqual([
      'protoc-gen-grpc-cfg writes to src/generated (out: in buf.gen.yaml), but grpc-cfg serve looks for grpc-cfg.manifest.ts in src/gen (the default of "generated"); create grpc-cfg.config.ts with: export default { generated: "src/generated" }',
    ]);
    expect(warnings(at("grpc-cfg.config.ts"))[0]).toMatch(
      /; add generated: "src\/generated" to grpc-cfg\.config\.ts$/,
    );
  });

  it("names both folders when the config's generated replaces buf.gen.yaml's out:", () => {
    expect(
      outFolderWarnings({
        projectRoot: root,
        template: template("src/generated", "src/generated"),
        configFile: at("grpc-cfg.config.ts"),
        configOut: at("src/gen"),
        flagOut: undefined,
      }),
    ).toEqual([
      'grpc-cfg.config.ts sets generated: "src/gen", which replaces out: src/generated in buf.gen.yaml; writing to src/gen. Give both the same folder to silence this warning.',
    ]);
  });

  it("says when --out is not where the config tells serve to look", () => {
    expect(
      outFolderWarnings({
        projectRoot: root,
        template: template("src/gen", "src/gen"),
        configFile: at("grpc-cfg.config.ts"),
        configOut: at("src/gen"),
        flagOut: at("tmp/gen"),
      }),
    ).toEqual([
      "--out tmp/gen is not where grpc-cfg serve looks for the generated code: src/gen (generated in grpc-cfg.config.ts)",
    ]);
  });

  it("assumes the runtime's default for generated", () => {
    expect(resolveConfig({}, { root, env: {} }).generated).toBe(at(DEFAULT_GENERATED));
  });
});
