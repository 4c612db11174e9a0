import path from "node:path";
import { describe, expect, it } from "vitest";
import type { BufGenYaml } from "../../project/buf-config.js";
import { buildRunTemplate, templatesOption } from "./generate-template.js";

const root = "/work/project";

function template(
  plugins: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): BufGenYaml {
  return {
    plugins: plugins.map((raw) => ({ local: raw.local as string, out: String(raw.out), raw })),
    inputs: extra.inputs as Record<string, unknown>[] | undefined,
    raw: { version: "v2", plugins, ...extra },
  };
}

describe("buildRunTemplate", () => {
  it("gives protoc-gen-grpc-cfg the chosen templates, replacing buf.gen.yaml's", () => {
    const run = buildRunTemplate(
      template([
        { local: "protoc-gen-ts_proto", out: "src/gen", opt: ["esModuleInterop=true"] },
        { local: "protoc-gen-grpc-cfg", out: "src/gen", opt: "templates=./old,manifest=true" },
      ]),
      root,
      { templates: "/abs/custom", out: undefined },
    );
    const plugins = run.content.plugins as Record<string, unknown>[];
    expect(plugins[0]!.opt).toEqual(["esModuleInterop=true"]);
    expect(plugins[1]!.opt).toEqual(["manifest=true", "templates=/abs/custom"]);
    expect(run.outDirs).toEqual(["src/gen", "src/gen"]);
  });

  it("makes relative templates, plugin paths and outside inputs absolute for the mirrored workspace", () => {
    const run = buildRunTemplate(
      template(
        [
          {
            local: "../../node_modules/.bin/protoc-gen-grpc-cfg",
            out: "gen",
            opt: ["templates=tpl"],
          },
        ],
        {
          inputs: [{ directory: "proto" }, { directory: "../shared/proto" }],
        },
      ),
      root,
      { templates: undefined, out: undefined },
    );
    const plugin = (run.content.plugins as Record<string, unknown>[])[0]!;
    expect(plugin.local).toBe(path.resolve(root, "../../node_modules/.bin/protoc-gen-grpc-cfg"));
    expect(plugin.opt).toEqual([`templates=${path.join(root, "tpl")}`]);
    expect(run.content.inputs).toEqual([
      { directory: "proto" },
      { directory: path.resolve(root, "../shared/proto") },
    ]);
  });

  it("replaces every out with the configured folder, which must be inside the project", () => {
    const plugins = [
      { local: "protoc-gen-ts_proto", out: "a" },
      { local: "protoc-gen-grpc-cfg", out: "b" },
    ];
    expect(
      buildRunTemplate(template(plugins), root, { templates: undefined, out: `${root}/lib/gen` })
        .outDirs,
    ).toEqual(["lib/gen", "lib/gen"]);
    expect(() =>
      buildRunTemplate(template(plugins), root, { templates: undefined, out: "/elsewhere" }),
    ).toThrow(/must be a subfolder of the project/);
  });
});

describe("templatesOption", () => {
  it("reads templates= from the grpc-cfg plugin only", () => {
    const t = template([
      { local: "protoc-gen-ts_proto", out: "gen", opt: "templates=ignored" },
      { local: ["node", "bin/protoc-gen-grpc-cfg.js"], out: "gen", opt: ["templates=mine"] },
    ]);
    expect(templatesOption(t, root)).toBe(path.join(root, "mine"));
  });
});
