// The text pass of big integer handling: which literals become markers. (What each marker
// becomes is covered against a real server in wire-lab.test.ts.)
import { describe, expect, it } from "vitest";
import { protectBigIntegers } from "./big-integers.js";

const MARK = "\uE000m:";

describe("protectBigIntegers", () => {
  it("marks integers beyond ±2^53 outside strings, wherever a value may stand", () => {
    const { text, literals } = protectBigIntegers(
      '{"a":9007199254740993,"b":[ -9223372036854775808,\n18446744073709551615], "c": 1}',
      MARK,
    );
    expect(literals).toEqual(["9007199254740993", "-9223372036854775808", "18446744073709551615"]);
    expect(JSON.parse(text)).toEqual({ a: `${MARK}0`, b: [`${MARK}1`, `${MARK}2`], c: 1 });
  });

  it("leaves safe integers, fractions, exponents, strings and malformed tokens alone", () => {
    for (const json of [
      '{"a": 9007199254740991, "b": -9007199254740991}',
      '{"a": 90071992547409930.5, "b": 1e300, "c": 12345678901234567890E2}',
      '{"a": "9007199254740993", "b": "x\\" 9007199254740993 \\"", "9007199254740993": 1}',
      '{"a": 09007199254740993}',
      '{"a": 9007199254740993x}',
    ]) {
      expect(protectBigIntegers(json, MARK), json).toEqual({ text: json, literals: [] });
    }
  });
});
