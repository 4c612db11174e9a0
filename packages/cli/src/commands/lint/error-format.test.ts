import { describe, expect, it } from "vitest";
import { formatFinding, withEndPositions } from "./error-format.js";

const finding = {
  file: "proto/a/v1/a.proto",
  line: 3,
  column: 9,
  endLine: 3,
  endColumn: 17,
  type: "MESSAGE_PASCAL_CASE",
  message: 'Message name "bad_name" should be PascalCase, such as "BadName".',
};

describe("--error-format", () => {
  it("json is buf's object: its keys in its order", () => {
    const line = formatFinding("json", finding);
    expect(Object.keys(JSON.parse(line) as object)).toEqual([
      "path",
      "start_line",
      "start_column",
      "end_line",
      "end_column",
      "type",
      "message",
    ]);
    expect(JSON.parse(line)).toEqual({
      path: "proto/a/v1/a.proto",
      start_line: 3,
      start_column: 9,
      end_line: 3,
      end_column: 17,
      type: "MESSAGE_PASCAL_CASE",
      message: finding.message,
    });
  });

  it("json leaves out the path of a finding without a file and says 1:1, as buf does", () => {
    const line = formatFinding("json", { type: "PACKAGE_NO_DELETE", message: "gone" });
    expect(JSON.parse(line)).toEqual({
      start_line: 1,
      start_column: 1,
      end_line: 1,
      end_column: 1,
      type: "PACKAGE_NO_DELETE",
      message: "gone",
    });
  });

  it("github-actions is buf's ::error line with the rule as title", () => {
    expect(formatFinding("github-actions", finding)).toBe(
      "::error file=proto/a/v1/a.proto,line=3,col=9,endLine=3,endColumn=17,title=MESSAGE_PASCAL_CASE::" +
        finding.message,
    );
    expect(
      formatFinding("github-actions", {
        file: "a.proto",
        line: 1,
        column: 2,
        type: "COMPILE",
        message: "x",
      }),
    ).toBe("::error file=a.proto,line=1,col=2::x");
    expect(formatFinding("github-actions", { type: "RULE", message: "no file" })).toBe(
      "::error title=RULE::no file",
    );
  });

  it("github-actions escapes what would end the command or a property early", () => {
    const line = formatFinding("github-actions", {
      file: "main:a,b.proto",
      line: 1,
      type: "COMPILE",
      message: "100% wrong\nsecond line",
    });
    expect(line).toBe("::error file=main%3Aa%2Cb.proto,line=1::100%25 wrong%0Asecond line");
  });

  it("text is the file:line:column: message (RULE) of today", () => {
    expect(formatFinding("text", finding)).toBe(
      `proto/a/v1/a.proto:3:9: ${finding.message} (MESSAGE_PASCAL_CASE)`,
    );
  });

  it("takes the end of each range from buf's JSON, by rule, message and start", () => {
    const bufText = [
      '{"path":"a.proto","start_line":4,"start_column":10,"end_line":4,"end_column":11,"type":"R","message":"m"}',
      '{"path":"a.proto","start_line":4,"start_column":10,"end_line":5,"end_column":2,"type":"R","message":"m"}',
      "Failure: something else",
    ].join("\n");
    const parsed = { file: "a.proto", line: 4, column: 10, type: "R", message: "m" };
    const other = { file: "b.proto", line: 1, column: 1, type: "COMPILE", message: "x" };
    expect(withEndPositions([parsed, parsed, other], bufText)).toEqual([
      { ...parsed, endLine: 4, endColumn: 11 },
      { ...parsed, endLine: 5, endColumn: 2 },
      other,
    ]);
  });
});
