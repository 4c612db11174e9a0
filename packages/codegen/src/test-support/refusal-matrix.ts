import { expect } from "vitest";
import { CodegenError } from "../errors.js";
import { generate } from "../generate.js";
import type { ProtoWorkspace } from "./proto-workspace.js";

/** One plugin run of a refusal matrix: the files it generates and whether it must refuse. */
export interface MatrixCase {
  readonly label: string;
  /** The case's package folder under `gen/`, for type-checking its output. */
  readonly pkg: string;
  readonly files: readonly string[];
  readonly refused: boolean;
}

/**
 * Runs the plugin once per case over `workspace`'s request and expects it to refuse exactly
 * the cases marked `refused` (with a message matching `refusal`) and accept the rest. Returns
 * the accepted cases' outputs, for the caller to type-check beside ts-proto's.
 */
export async function expectRefusals(
  workspace: ProtoWorkspace,
  cases: readonly MatrixCase[],
  refusal: RegExp,
): Promise<ReturnType<typeof generate>> {
  const base = await workspace.request();
  const outputs: ReturnType<typeof generate> = [];
  const decisions: Record<string, string> = {};
  for (const c of cases) {
    try {
      outputs.push(...generate({ ...base, fileToGenerate: [...c.files] }));
      decisions[c.label] = "accepted";
    } catch (error) {
      expect(error).toBeInstanceOf(CodegenError);
      expect(String(error)).toMatch(refusal);
      decisions[c.label] = "refused";
    }
  }
  expect(decisions).toEqual(
    Object.fromEntries(cases.map((c) => [c.label, c.refused ? "refused" : "accepted"])),
  );
  return outputs;
}
