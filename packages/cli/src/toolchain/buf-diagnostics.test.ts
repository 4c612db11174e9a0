import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic, parseBufOutput } from "./buf-diagnostics.js";

const workspace = "/tmp/grpc-cfg-ws-abc";
const projectRoot = path.join(process.cwd(), "some-project");
const realPath = (bufPath: string): string => path.join(projectRoot, bufPath);

describe("parseBufOutput", () => {
  it("turns buf's JSON findings into file:line:column diagnostics relative to the shell", () => {
    const output = parseBufOutput(
      [
        '{"path":"proto/a/v1/a.proto","start_line":3,"start_column":7,"end_line":3,"end_column":9,"type":"COMPILE","message":"syntax error: unexpected \'=\'"}',
        '{"path":"proto/a/v1/a.proto","start_line":9,"start_column":1,"type":"ENUM_VALUE_PREFIX","message":"Enum value name \\"X\\" should be prefixed with \\"E_\\"."}',
      ].join("\n"),
      realPath,
      workspace,
    );
    expect(output.diagnostics.map(formatDiagnostic)).toEqual([
      "some-project/proto/a/v1/a.proto:3:7: syntax error: unexpected '='",
      'some-project/proto/a/v1/a.proto:9:1: Enum value name "X" should be prefixed with "E_". (ENUM_VALUE_PREFIX)',
    ]);
    expect(output.otherLines).toEqual([]);
  });

  it("gives no made-up position to findings about a whole file, and names a deleted file", () => {
    const output = parseBufOutput(
      [
        '{"start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"FILE_NO_DELETE","message":"Previously present file \\"a/v1/gone.proto\\" was deleted."}',
        '{"path":"","start_line":1,"start_column":1,"type":"PACKAGE_NO_DELETE","message":"Previously present package \\"b.v1\\" was deleted."}',
        '{"path":"proto/a/v1/a.proto","type":"FILE_SAME_PACKAGE","message":"Package changed."}',
      ].join("\n"),
      realPath,
      workspace,
      (importPath) => path.join(projectRoot, "proto", importPath),
    );
    expect(output.diagnostics.map(formatDiagnostic)).toEqual([
      'some-project/proto/a/v1/gone.proto: Previously present file "a/v1/gone.proto" was deleted. (FILE_NO_DELETE)',
      'Previously present package "b.v1" was deleted. (PACKAGE_NO_DELETE)',
      "some-project/proto/a/v1/a.proto: Package changed. (FILE_SAME_PACKAGE)",
    ]);
    // Without a way to place it, the file as the message names it.
    const unplaced = parseBufOutput(
      '{"type":"FILE_NO_DELETE","message":"Previously present file \\"a/v1/gone.proto\\" was deleted."}',
      realPath,
      workspace,
    );
    expect(unplaced.diagnostics.map(formatDiagnostic)).toEqual([
      'a/v1/gone.proto: Previously present file "a/v1/gone.proto" was deleted. (FILE_NO_DELETE)',
    ]);
  });

  it("keeps other lines and hides the temp workspace path in them", () => {
    const output = parseBufOutput(
      `Failure: ${workspace}/_grpc_cfg_options/grpc_cfg: is outside the context directory\n{not json\n\n`,
      realPath,
      workspace,
    );
    expect(output.diagnostics).toEqual([]);
    expect(output.otherLines).toEqual([
      "Failure: _grpc_cfg_options/grpc_cfg: is outside the context directory",
      "{not json",
    ]);
  });

  it("turns a plugin's refusal into a diagnostic at the real file, dropping the killed sibling", () => {
    const protoFile = (importPath: string): string | undefined =>
      importPath === "a/v1/a.proto" ? path.join(projectRoot, "proto", importPath) : undefined;
    const output = parseBufOutput(
      [
        "Failure: plugin protoc-gen-grpc-cfg: a/v1/a.proto:26:3: rpc a.v1.S.Ping: auth public in an AUTH_REQUIRED service",
        "plugin protoc-gen-ts_proto: signal: killed",
      ].join("\n"),
      realPath,
      workspace,
      protoFile,
    );
    expect(output.diagnostics.map(formatDiagnostic)).toEqual([
      "some-project/proto/a/v1/a.proto:26:3: rpc a.v1.S.Ping: auth public in an AUTH_REQUIRED service (protoc-gen-grpc-cfg)",
    ]);
    expect(output.otherLines).toEqual([]);
  });

  it("gives a plugin's refusal without a position no made-up one", () => {
    const output = parseBufOutput(
      'Failure: plugin protoc-gen-grpc-cfg: a/v1/a.proto: message "Promise" shadows "Promise"',
      realPath,
      workspace,
      (importPath) => path.join(projectRoot, "proto", importPath),
    );
    expect(output.diagnostics.map(formatDiagnostic)).toEqual([
      'some-project/proto/a/v1/a.proto: message "Promise" shadows "Promise" (protoc-gen-grpc-cfg)',
    ]);
  });

  it("keeps a plugin failure it cannot place, and the killed line beside it", () => {
    const lines = [
      "Failure: plugin protoc-gen-grpc-cfg: elsewhere/x.proto: file to generate is missing from the request",
      "plugin protoc-gen-ts_proto: signal: killed",
    ];
    const output = parseBufOutput(lines.join("\n"), realPath, workspace, () => undefined);
    expect(output.diagnostics).toEqual([]);
    expect(output.otherLines).toEqual(lines);
  });
});
