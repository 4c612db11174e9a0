import type { NewFile } from "../../scaffold/new-files.js";
import { protoPackageDir } from "../../scaffold/names.js";
import { renderScaffoldTemplate } from "../../scaffold/templates.js";
import { scaffoldPackageJson } from "./package-json.js";

/** What a new project is called. */
export interface InitNames {
  /** npm package name. */
  readonly projectName: string;
  /** Proto package of the sample service, e.g. `acme.v1`. */
  readonly protoPackage: string;
  /** Version of this CLI, for the @grpc-cfg dependencies. */
  readonly cliVersion: string;
}

/** App folder of the sample service below src/. */
export const SAMPLE_APP = "greeter";

/** Template (below scaffold/init/) → file in the new project. `{{protoDir}}` is filled in. */
const TEMPLATE_TARGETS: readonly (readonly [template: string, target: string])[] = [
  ["buf.yaml.tmpl", "buf.yaml"],
  ["buf.gen.yaml.tmpl", "buf.gen.yaml"],
  ["greeter.proto.tmpl", "proto/{{protoDir}}/greeter.proto"],
  ["grpc-cfg.config.ts.tmpl", "grpc-cfg.config.ts"],
  ["tsconfig.json.tmpl", "tsconfig.json"],
  ["vitest.config.ts.tmpl", "vitest.config.ts"],
  ["grpc-services.ts.tmpl", `src/${SAMPLE_APP}/grpc-services.ts`],
  ["grpc-services.test.ts.tmpl", `src/${SAMPLE_APP}/grpc-services.test.ts`],
  ["gitignore.tmpl", ".gitignore"],
  ["README.md.tmpl", "README.md"],
  ["github-workflow.yml.tmpl", ".github/workflows/grpc.yml"],
];

/** Every file `grpc-cfg init` writes, rendered, in the order they are written. */
export async function initFiles(names: InitNames): Promise<NewFile[]> {
  const protoDir = protoPackageDir(names.protoPackage);
  const values = {
    projectName: names.projectName,
    protoPackage: names.protoPackage,
    protoDir,
  };
  const files: NewFile[] = [
    { path: "package.json", content: scaffoldPackageJson(names.projectName, names.cliVersion) },
  ];
  for (const [template, target] of TEMPLATE_TARGETS) {
    files.push({
      path: target.replace("{{protoDir}}", protoDir),
      content: await renderScaffoldTemplate(`init/${template}`, values),
    });
  }
  return files;
}
