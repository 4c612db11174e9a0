import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AuthRequiredService,
  BaseService,
  ReadOnlyService,
  RESERVED_MEMBER_NAMES,
} from "./index.js";

const here = dirname(fileURLToPath(import.meta.url));

function memberNames(prototype: object | null): string[] {
  const names: string[] = [];
  for (let p = prototype; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    names.push(...Object.getOwnPropertyNames(p));
  }
  return names;
}

describe("the API generated code relies on", () => {
  it("RESERVED_MEMBER_NAMES lists every member of the base classes and Object.prototype, and then", () => {
    const actual = new Set(
      [BaseService, ReadOnlyService, AuthRequiredService].flatMap((cls) =>
        memberNames(cls.prototype),
      ),
    );
    // `then` is no member, but a handler of that name would make instances thenables.
    actual.add("then");
    expect([...actual].sort()).toEqual([...RESERVED_MEMBER_NAMES].sort());
  });

  it("a generated abstract class type-checks as a nice-grpc ServiceImplementation (tsc)", async () => {
    // type-checks.ts asserts assignability; type-checks-negative.ts holds @ts-expect-error
    // lines, so the run also fails if a check that should fail stops failing.
    const tsc = join(here, "../../../node_modules/typescript/bin/tsc");
    const result = await promisify(execFile)(process.execPath, [
      tsc,
      "-p",
      join(here, "testdata/tsconfig.json"),
    ]).then(
      () => ({ ok: true, output: "" }),
      (error: { stdout?: string }) => ({ ok: false, output: error.stdout ?? String(error) }),
    );
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });
});
