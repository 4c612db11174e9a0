import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBufYaml } from "../../project/buf-config.js";
import { isLintIgnored, lintIgnoredPaths } from "./lint-ignores.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "grpc-cfg-lint-ignores-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ignoredBy(bufYaml: string): string[] {
  const file = path.join(dir, "buf.yaml");
  writeFileSync(file, bufYaml);
  return lintIgnoredPaths(readBufYaml(file));
}

describe("lintIgnoredPaths", () => {
  it("takes a v1 file's lint.ignore as is", () => {
    expect(ignoredBy("version: v1\nlint:\n  ignore:\n    - vendor/\n    - ./a/b.proto\n")).toEqual([
      "vendor",
      "a/b.proto",
    ]);
  });

  it("applies the workspace's list to modules without lint settings of their own", () => {
    const yaml =
      "version: v2\nmodules:\n  - path: api\n  - path: third_party\n    lint:\n      ignore:\n        - third_party/google\n" +
      "  - path: vendor\nlint:\n  ignore:\n    - api/legacy\n    - vendor\n    - third_party/acme\n";
    // third_party has its own lint: the workspace's third_party/acme does not apply to it.
    expect(ignoredBy(yaml).sort()).toEqual(["api/legacy", "third_party/google", "vendor"]);
  });

  it("matches files inside an ignored folder, not beside it", () => {
    const ignored = ["vendor", "api/legacy"];
    expect(isLintIgnored("vendor/google/api/http.proto", ignored)).toBe(true);
    expect(isLintIgnored("api/legacy/v1/old.proto", ignored)).toBe(true);
    expect(isLintIgnored("api/legacy_v2/new.proto", ignored)).toBe(false);
    expect(isLintIgnored("vendored/x.proto", ignored)).toBe(false);
  });
});
