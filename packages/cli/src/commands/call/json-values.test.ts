import { describe, expect, it } from "vitest";
import { JsonValueSplitter, splitJsonValues } from "./json-values.js";

const texts = (input: string): string[] => splitJsonValues(input).map((value) => value.text);

describe("JsonValueSplitter", () => {
  it("cuts NDJSON, values side by side and pretty-printed values alike", () => {
    expect(texts('{"a":1}\n{"a":2}\n')).toEqual(['{"a":1}', '{"a":2}']);
    expect(texts('{"a":1} {"a":2}{"a":3}')).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(texts('{\n  "a": [1, {"b": 2}]\n}\n[3]')).toEqual(['{\n  "a": [1, {"b": 2}]\n}', "[3]"]);
  });

  it("ignores brackets and escaped quotes inside strings", () => {
    expect(texts('{"a":"}{ \\" ]"} "x\\"}" {"b":"\\\\"}')).toEqual([
      '{"a":"}{ \\" ]"}',
      '"x\\"}"',
      '{"b":"\\\\"}',
    ]);
  });

  it("gives the line each value starts on", () => {
    const values = splitJsonValues('\n{"a":1}\n\n{\n"b":2} {"c":3}');
    expect(values.map((value) => value.line)).toEqual([2, 4, 5]);
  });

  it("ends bare tokens at whitespace or the next value, for JSON.parse to judge", () => {
    expect(texts('1 true{"a":1}nul')).toEqual(["1", "true", '{"a":1}', "nul"]);
    expect(texts("{value: 2}")).toEqual(["{value: 2}"]);
    expect(texts('} {"a":1}')).toEqual(["}", '{"a":1}']);
  });

  it("returns each value as soon as it is complete, and the unfinished rest at the end", () => {
    const splitter = new JsonValueSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\n{"b"')).toEqual([{ text: '{"a":1}', line: 1 }]);
    expect(splitter.end()).toEqual([{ text: '{"b"', line: 2 }]);
    expect(splitter.end()).toEqual([]);
  });

  it("cuts the same values whatever the pieces the input arrives in", () => {
    const input = '{"a":"}\\"{"}\n[1, 2] true "s\\"" {\n"b": {"c": []}\n} 12 nul';
    const whole = splitJsonValues(input);
    for (const size of [1, 2, 3, 7]) {
      const splitter = new JsonValueSplitter();
      const values = [];
      for (let i = 0; i < input.length; i += size)
        values.push(...splitter.push(input.slice(i, i + size)));
      values.push(...splitter.end());
      expect(values, `pieces of ${size}`).toEqual(whole);
    }
    expect(whole.map((value) => value.text)).toEqual([
      '{"a":"}\\"{"}',
      "[1, 2]",
      "true",
      '"s\\""',
      '{\n"b": {"c": []}\n}',
      "12",
      "nul",
    ]);
  });
});
