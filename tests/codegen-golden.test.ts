// Golden test of protoc-gen-grpc-cfg: the real `buf generate` runs ts-proto and the built
// plugin (packages/codegen/bin → dist) over the edge-case corpus in fixtures/protos; our
// outputs must equal fixtures/golden, and everything generated must pass strict tsc.
// UPDATE_GOLDEN=1 rewrites fixtures/golden.
import { execFile } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TS_PROTO_OPTIONS } from "../packages/codegen/src/test-support/proto-workspace.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CORPUS = join(ROOT, "tests/fixtures/protos");
const GOLDEN = join(ROOT, "tests/fixtures/golden");
const CODEGEN = join(ROOT, "packages/codegen");
const BUF = join(ROOT, "node_modules/.bin/buf");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

const isOurs = (name: string): boolean =>
  name.endsWith(".grpc-cfg.ts") ||
  name === "grpc-cfg.manifest.ts" ||
  name === "grpc-cfg.descriptor.ts";

// The plugin runs from dist: refuse to compare against a build older than its sources
// (tsc -b rewrites tsconfig.tsbuildinfo whenever it builds changed sources).
function assertPluginBuilt(): void {
  let builtAt: number;
  try {
    statSync(join(CODEGEN, "dist/bin/protoc-gen-grpc-cfg.js"));
    builtAt = statSync(join(CODEGEN, "tsconfig.tsbuildinfo")).mtimeMs;
  } catch {
    throw new Error("packages/codegen is not built: run `npx tsc -b packages/codegen` first");
  }
  const sources = listFiles(join(CODEGEN, "src"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("test-support"))
    .map((f) => join(CODEGEN, "src", f));
  const stale = sources.filter((f) => statSync(f).mtimeMs > builtAt);
  if (stale.length > 0) {
    throw new Error(
      `packages/codegen/dist is older than ${stale[0]}: run \`npx tsc -b packages/codegen\``,
    );
  }
}

// ts-proto runs with strategy all here (one process instead of one per directory): same
// output, faster on a small corpus.
function writeGenTemplate(dir: string, tsProto: boolean, extraPluginOpts: string[] = []): string {
  const path = join(dir, "buf.gen.yaml");
  const opt = (list: string[]) => list.map((o) => `      - ${o}\n`).join("");
  const tsProtoPlugin =
    `  - local: ${join(ROOT, "node_modules/.bin/protoc-gen-ts_proto")}\n    out: gen\n` +
    `    strategy: all\n    opt:\n${opt(TS_PROTO_OPTIONS)}`;
  writeFileSync(
    path,
    "version: v2\nplugins:\n" +
      (tsProto ? tsProtoPlugin : "") +
      `  - local: ${join(CODEGEN, "bin/protoc-gen-grpc-cfg.js")}\n    out: gen\n    strategy: all\n` +
      (extraPluginOpts.length > 0 ? `    opt:\n${opt(extraPluginOpts)}` : ""),
  );
  return path;
}

/** A TS module asserting every manifest class is a nice-grpc implementation of its definition. */
function implementationCheck(manifest: string): string {
  const imports = [...manifest.matchAll(/^import \{([^}]*)\} from "\.\/(.*)";$/gm)];
  const classes = imports.flatMap((m) =>
    m[1]!
      .split(",")
      .map((c) => c.trim().split(" as ").pop()!)
      .filter(Boolean),
  );
  return [
    'import type { ServiceImplementation } from "nice-grpc";',
    'import type { AuthenticatedContext } from "@grpc-cfg/runtime";',
    ...imports.map((m) => `import type {${m[1]}} from "./gen/${m[2]}";`),
    "type Table = Readonly<Record<string, { readonly definitionKey: string; readonly handler: string }>>;",
    "type ImplOf<B extends { readonly methods: Table; readonly prototype: object }> = {",
    '  [P in keyof B["methods"] as B["methods"][P]["definitionKey"]]: B["prototype"][B["methods"][P]["handler"] & keyof B["prototype"]];',
    "};",
    "type Assert<T extends true> = T;",
    "type Implements<B extends { readonly methods: Table; readonly prototype: object; readonly definition: object }> =",
    '  [ImplOf<B>] extends [ServiceImplementation<B["definition"] & { name: string; fullName: string; methods: {} }, AuthenticatedContext>] ? true : false;',
    "export type Checks = [",
    ...classes.map((c) => `  Assert<Implements<typeof ${c}>>,`),
    "];",
    "",
  ].join("\n");
}

describe("protoc-gen-grpc-cfg golden corpus", () => {
  let tmp: string;
  let generated: string[];

  beforeAll(async () => {
    assertPluginBuilt();
    tmp = mkdtempSync(join(tmpdir(), "grpc-cfg-golden-"));
    const template = writeGenTemplate(tmp, true);
    await run(BUF, ["generate", CORPUS, "--template", template, "-o", tmp], { cwd: ROOT });
    generated = listFiles(join(tmp, "gen"));
    if (UPDATE) {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const name of generated.filter(isOurs)) {
        mkdirSync(dirname(join(GOLDEN, name)), { recursive: true });
        writeFileSync(join(GOLDEN, name), readFileSync(join(tmp, "gen", name)));
      }
    }
  });
  afterAll(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it("has at least 20 proto files", () => {
    expect(listFiles(CORPUS).filter((f) => f.endsWith(".proto")).length).toBeGreaterThanOrEqual(20);
  });

  it("generates exactly the golden files", () => {
    expect(generated.filter(isOurs)).toEqual(listFiles(GOLDEN));
  });

  it("generates the golden content", () => {
    for (const name of listFiles(GOLDEN)) {
      expect(readFileSync(join(tmp, "gen", name), "utf8"), name).toBe(
        readFileSync(join(GOLDEN, name), "utf8"),
      );
    }
  });

  it("type-checks everything generated (ts-proto + ours) with strict settings and the real runtime", async () => {
    // Plus, for every class in the manifest: its handlers, looked up through its method
    // table (definitionKey → handler), form a nice-grpc ServiceImplementation of its
    // definition. This also proves the table keeps literal types.
    writeFileSync(
      join(tmp, "check.ts"),
      implementationCheck(readFileSync(join(tmp, "gen/grpc-cfg.manifest.ts"), "utf8")),
    );
    writeFileSync(join(tmp, "package.json"), `{ "type": "module" }\n`);
    symlinkSync(join(ROOT, "node_modules"), join(tmp, "node_modules"), "dir");
    writeFileSync(
      join(tmp, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023"],
          types: ["node"],
          strict: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          noImplicitOverride: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ["gen", "check.ts"],
      }),
    );
    const result = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: tmp }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("");
  });

  it("keeps the corpus' options.proto equal to the shipped one", () => {
    expect(readFileSync(join(CORPUS, "grpc_cfg/v1/options.proto"), "utf8")).toBe(
      readFileSync(join(CODEGEN, "proto/grpc_cfg/v1/options.proto"), "utf8"),
    );
  });
});

describe("protoc-gen-grpc-cfg under buf", () => {
  let tmp: string;
  beforeAll(() => {
    assertPluginBuilt();
    tmp = mkdtempSync(join(tmpdir(), "grpc-cfg-buf-error-"));
    mkdirSync(join(tmp, "proto/bad/v1"), { recursive: true });
    mkdirSync(join(tmp, "vendor/grpc_cfg/v1"), { recursive: true });
    writeFileSync(
      join(tmp, "vendor/grpc_cfg/v1/options.proto"),
      readFileSync(join(CODEGEN, "proto/grpc_cfg/v1/options.proto")),
    );
    writeFileSync(
      join(tmp, "buf.yaml"),
      "version: v2\nmodules:\n  - path: proto\n  - path: vendor\n",
    );
    writeFileSync(
      join(tmp, "proto/bad/v1/bad.proto"),
      `syntax = "proto3";
package bad.v1;
import "grpc_cfg/v1/options.proto";
message M {}
service Orders {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc Peek(M) returns (M) { option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_PUBLIC }; }
}
`,
    );
  });
  afterAll(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it("makes buf fail with the plugin's message, naming file, line and rpc", async () => {
    const template = writeGenTemplate(tmp, false);
    const failure = await run(BUF, ["generate", "--template", template], { cwd: tmp }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain(
      "bad/v1/bad.proto:7:3: rpc bad.v1.Orders.Peek: auth public in an AUTH_REQUIRED service",
    );
  });

  it("makes buf fail on an unknown plugin option", async () => {
    const template = writeGenTemplate(tmp, false, ["manifset=false"]);
    const failure = await run(BUF, ["generate", "--template", template], { cwd: tmp }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.stderr).toContain('unknown plugin option "manifset"');
  });
});
