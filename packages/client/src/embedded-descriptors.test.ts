import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  embeddedRegistry,
  reflectionRequestSchema,
  reflectionResponseSchema,
} from "./embedded-registry.js";

const script = fileURLToPath(new URL("../scripts/embed-descriptors.mjs", import.meta.url));

describe("embedded descriptors", () => {
  it("match what buf builds from proto/ and google-proto-files today", () => {
    // Exits non-zero (failing the test) when src/gen/embedded-descriptors.ts is stale.
    expect(() =>
      execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" }),
    ).not.toThrow();
  });

  it("hold the reflection protocol and the google.rpc error details", () => {
    expect(reflectionRequestSchema.field["fileContainingSymbol"]?.number).toBe(4);
    expect(reflectionResponseSchema.field["listServicesResponse"]?.number).toBe(6);
    expect(embeddedRegistry.getMessage("google.rpc.BadRequest")).toBeDefined();
    expect(embeddedRegistry.getMessage("google.rpc.ErrorInfo")).toBeDefined();
  });
});
