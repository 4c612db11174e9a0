import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliPackageDir } from "../../toolchain/node-packages.js";
import {
  SCAFFOLD_DEPENDENCIES,
  SCAFFOLD_DEV_DEPENDENCIES,
  SCAFFOLD_SCRIPTS,
  scaffoldPackageJson,
} from "./package-json.js";

const workspaceModules = path.resolve(cliPackageDir, "../../node_modules");

function installedVersion(name: string): string {
  const text = readFileSync(path.join(workspaceModules, name, "package.json"), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** Whether `version` satisfies a caret range `^a.b.c` (npm's rules, 0.x included). */
function satisfiesCaret(range: string, version: string): boolean {
  const want = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range)?.slice(1).map(Number);
  const have = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  if (!want || !have) return false;
  const [wMajor, wMinor, wPatch] = want as [number, number, number];
  const [hMajor, hMinor, hPatch] = have as [number, number, number];
  if (hMajor !== wMajor) return false;
  if (wMajor === 0 && hMinor !== wMinor) return false;
  return hMinor > wMinor || (hMinor === wMinor && hPatch >= wPatch);
}

describe("scaffolded package.json", () => {
  it("asks for the versions grpc-cfg is built and tested with", () => {
    for (const [name, range] of Object.entries({
      ...SCAFFOLD_DEPENDENCIES,
      ...SCAFFOLD_DEV_DEPENDENCIES,
    })) {
      expect(
        satisfiesCaret(range, installedVersion(name)),
        `${name} ${range} vs installed ${installedVersion(name)}`,
      ).toBe(true);
    }
  });

  it("is an ES module project with the scripts the README and CI use", () => {
    const manifest = JSON.parse(scaffoldPackageJson("@acme/orders", "0.3.1")) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({ name: "@acme/orders", type: "module", private: true });
    expect(manifest["scripts"]).toEqual(SCAFFOLD_SCRIPTS);
    expect(manifest["scripts"]).toMatchObject({
      check: "grpc-cfg generate --check",
      start: "grpc-cfg serve",
      test: "vitest run",
    });
    expect(manifest["dependencies"]).toMatchObject({
      "@grpc-cfg/cli": "^0.3.1",
      "@grpc-cfg/runtime": "^0.3.1",
      "@grpc-cfg/store": "^0.3.1",
      "nice-grpc": expect.any(String),
      "drizzle-orm": expect.any(String),
    });
    expect(Object.keys(manifest["devDependencies"] as object)).toEqual([
      "@bufbuild/buf",
      "@types/node",
      "ts-proto",
      "typescript",
      "vitest",
    ]);
  });
});
