import { describe, expect, it } from "vitest";
import { generate } from "./generate.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";
import { expectRefusals, type MatrixCase } from "./test-support/refusal-matrix.js";

// Each rule of unusable-type-names.ts against ts-proto's real output (the pipeline's options,
// forceLong=bigint included): a type of the rule's name beside one feature of a file (a field
// type, an rpc kind), declared there or imported. The plugin must refuse exactly the cases
// whose output does not compile, and every case it accepts must type-check.

/** Features of a file: fields of a message `Holder`, or a service using it. */
const FEATURES: Record<string, { fields?: string; service?: string }> = {
  nothing: {},
  int64: { fields: "int64 v = 1;" },
  repeatedFixed64: { fields: "repeated fixed64 v = 1;" },
  map64Key: { fields: "map<sint64, string> v = 1;" },
  map64Value: { fields: "map<string, uint64> v = 1;" },
  mapBoolKey: { fields: "map<bool, string> v = 1;" },
  mapString: { fields: "map<string, int32> v = 1; map<int32, string> w = 2;" },
  timestamp: { fields: "google.protobuf.Timestamp v = 1;" },
  timestampInNestedOneof: {
    fields: "message In { oneof o { google.protobuf.Timestamp v = 1; } } In i = 1;",
  },
  timestampRpc: {
    service: "rpc C(google.protobuf.Timestamp) returns (google.protobuf.Timestamp);",
  },
  duration: { fields: "google.protobuf.Duration v = 1;" },
  listValue: { fields: "google.protobuf.ListValue v = 1;" },
  struct: { fields: "google.protobuf.Struct v = 1; google.protobuf.Value w = 2;" },
  boolValue: { fields: "google.protobuf.BoolValue v = 1;" },
  stringValue: { fields: "google.protobuf.StringValue v = 1;" },
  doubleValue: { fields: "google.protobuf.DoubleValue v = 1;" },
  floatValue: { fields: "google.protobuf.FloatValue v = 1;" },
  int32Value: { fields: "repeated google.protobuf.Int32Value v = 1;" },
  uint32Value: { fields: "map<string, google.protobuf.UInt32Value> v = 1;" },
  int64Value: { fields: "google.protobuf.Int64Value v = 1;" },
  uint64Value: { fields: "google.protobuf.UInt64Value v = 1;" },
  scalars: { fields: "string s = 1; bool b = 2; double d = 3; bytes y = 4; int32 i = 5;" },
  unary: { service: "rpc C(Holder) returns (Holder);" },
  server: { service: "rpc C(Holder) returns (stream Holder);" },
  client: { service: "rpc C(stream Holder) returns (Holder);" },
  bidi: { service: "rpc C(stream Holder) returns (stream Holder);" },
};
type Feature = keyof typeof FEATURES;
const ALL = Object.keys(FEATURES) as Feature[];

// Whether ts-proto's output aliases its import of BinaryReader/BinaryWriter everywhere it
// refers to it depends on the module's other imports: a file with one message of that name
// and no imports compiles, most others do not. Refused everywhere, so this case of them may
// still compile.
const REFUSED_THOUGH_IT_COMPILES = new Set([
  "BinaryReader imported beside nothing",
  "BinaryWriter imported beside nothing",
]);

/** The features each rule's name breaks the output beside (found by type-checking it). */
const BREAKS_WITH: Record<string, readonly Feature[]> = {
  BinaryReader: ALL,
  BinaryWriter: ALL,
  Partial: ALL,
  ReadonlyArray: ALL,
  BigInt: [
    "int64",
    "repeatedFixed64",
    "map64Key",
    "map64Value",
    "timestamp",
    "timestampInNestedOneof",
    "int64Value",
    "uint64Value",
  ],
  Map: ["map64Key", "mapBoolKey"],
  Timestamp: ["timestamp", "timestampInNestedOneof"],
  Array: ["listValue"],
  Boolean: ["boolValue"],
  String: ["stringValue"],
  Number: ["doubleValue", "floatValue", "int32Value", "uint32Value"],
  AsyncIterable: ["server", "client", "bidi"],
  AsyncIterator: ["server", "bidi"],
  ServerStreamingMethodResult: ["server", "bidi"],
};

const IMPORTS = ["timestamp", "duration", "struct", "wrappers"]
  .map((f) => `import "google/protobuf/${f}.proto";\n`)
  .join("");

function matrix(): { files: Record<string, string>; cases: MatrixCase[] } {
  const files: Record<string, string> = {};
  const cases: MatrixCase[] = [];
  for (const [name, breaking] of Object.entries(BREAKS_WITH)) {
    for (const feature of ALL) {
      const { fields = "", service } = FEATURES[feature]!;
      // Declared beside every feature; imported (as a field of Holder) beside one that
      // breaks and one that does not.
      const importedToo =
        feature === breaking[0] || feature === ALL.find((f) => !breaking.includes(f));
      for (const imported of importedToo ? [false, true] : [false]) {
        const pkg = `${name}_${feature}${imported ? "_imported" : ""}`.toLowerCase();
        const head = `syntax = "proto3";\npackage ${pkg}.v1;\n`;
        const type = `message ${name} { string iso = 1; }\n`;
        const holder =
          `message Holder { ${fields} ${imported ? `${name} n = 99;` : ""} }\n` +
          (service === undefined ? "" : `service S { ${service} }\n`);
        if (imported) {
          files[`${pkg}/v1/a.proto`] = head + type;
          files[`${pkg}/v1/b.proto`] = `${head}import "${pkg}/v1/a.proto";\n${IMPORTS}${holder}`;
        } else {
          files[`${pkg}/v1/b.proto`] = head + IMPORTS + type + holder;
        }
        cases.push({
          label: `${name} ${imported ? "imported" : "declared"} beside ${feature}`,
          pkg,
          files: imported ? [`${pkg}/v1/a.proto`, `${pkg}/v1/b.proto`] : [`${pkg}/v1/b.proto`],
          // An imported type breaks only the importing file; the declaring one has no feature.
          refused: breaking.includes(feature) || (imported && breaking.includes("nothing")),
        });
      }
    }
  }
  return { files, cases };
}

describe("names ts-proto's output uses, beside each feature of a file", () => {
  it("are refused exactly where the output breaks, and compile everywhere else", async () => {
    const { files, cases } = matrix();
    const workspace = ProtoWorkspace.create(files);
    try {
      const outputs = await expectRefusals(
        workspace,
        cases,
        /shadows "\w+".*would not compile; rename it/,
      );
      await workspace.runTsProto();
      workspace.writeOutputs(outputs);
      const compiled = cases.filter((c) => !c.refused).map((c) => `gen/${c.pkg}`);
      expect(compiled.length).toBeGreaterThan(100);
      expect(await workspace.typeCheck(compiled)).toEqual([]);
      // And the refused ones really break (so no rule refuses more than it must).
      const refused = cases
        .filter((c) => c.refused && !REFUSED_THOUGH_IT_COMPILES.has(c.label))
        .map((c) => `gen/${c.pkg}`);
      const errors = await workspace.typeCheck(refused, "tsconfig.refused.json");
      const broken = new Set(errors.map((line) => /^gen\/([^/]+)\//.exec(line)?.[1]));
      expect(refused.filter((dir) => !broken.has(dir.slice(4)))).toEqual([]);
    } finally {
      workspace.dispose();
    }
  }, 300_000);
});

describe("types named like the interfaces ts-proto declares for a service", () => {
  const SUFFIXES = ["Definition", "Client", "ServiceImplementation"];

  it("are refused when declared beside the service, naming both, and compile when imported", async () => {
    const files: Record<string, string> = {};
    for (const suffix of SUFFIXES) {
      const pkg = suffix.toLowerCase();
      files[`${pkg}/v1/declared.proto`] =
        `syntax = "proto3";\npackage ${pkg}.v1;\n\n// A.\nmessage A { string f = 1; }\n` +
        `message Workflow${suffix} { string g = 1; }\nservice Workflow { rpc M(A) returns (Workflow${suffix}); }\n`;
      files[`${pkg}/v2/a.proto`] =
        `syntax = "proto3";\npackage ${pkg}.v2;\nmessage Workflow${suffix} { string g = 1; }\n`;
      files[`${pkg}/v2/b.proto`] =
        `syntax = "proto3";\npackage ${pkg}.v2.b;\nimport "${pkg}/v2/a.proto";\n` +
        `service Workflow { rpc M(${pkg}.v2.Workflow${suffix}) returns (${pkg}.v2.Workflow${suffix}); }\n`;
    }
    const workspace = ProtoWorkspace.create(files);
    try {
      const base = await workspace.request();
      const outputs = [];
      for (const suffix of SUFFIXES) {
        const pkg = suffix.toLowerCase();
        expect(() => generate({ ...base, fileToGenerate: [`${pkg}/v1/declared.proto`] })).toThrow(
          new RegExp(
            `^${pkg}/v1/declared\\.proto:6:1: message "Workflow${suffix}" has the name ts-proto gives the .* of service ${pkg}\\.v1\\.Workflow \\(line 7\\), so the output would not compile; rename it \\(e\\.g\\. "Workflow${suffix}Message"\\) or the service \\(e\\.g\\. "WorkflowService"\\)$`,
          ),
        );
        outputs.push(
          ...generate({ ...base, fileToGenerate: [`${pkg}/v2/a.proto`, `${pkg}/v2/b.proto`] }),
        );
      }
      await workspace.runTsProto();
      workspace.writeOutputs(outputs);
      const imported = SUFFIXES.map((s) => `gen/${s.toLowerCase()}/v2`);
      expect(await workspace.typeCheck(imported)).toEqual([]);
      const declared = SUFFIXES.map((s) => `gen/${s.toLowerCase()}/v1`);
      const errors = await workspace.typeCheck(declared, "tsconfig.declared.json");
      for (const dir of declared)
        expect(
          errors.some((e) => e.startsWith(dir)),
          dir,
        ).toBe(true);
    } finally {
      workspace.dispose();
    }
  }, 180_000);
});
