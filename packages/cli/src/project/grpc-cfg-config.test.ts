import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadGenerateSettings } from "./grpc-cfg-config.js";

const scratch = mkdtempSync(join(tmpdir(), "grpc-cfg-generate-settings-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("loadGenerateSettings", () => {
  it("awaits a Promise default export, whatever the package type", async () => {
    for (const type of ["module", "commonjs"]) {
      const root = join(scratch, type);
      mkdirSync(root);
      writeFileSync(join(root, "package.json"), JSON.stringify({ type }));
      const file = join(root, "grpc-cfg.config.ts");
      writeFileSync(file, 'export default Promise.resolve({ generated: "out/gen" });\n');
      const { settings } = await loadGenerateSettings(file);
      expect(settings, type).toEqual({ out: join(root, "out/gen") });
    }
  });
});
