import { describe, expect, it } from "vitest";
import { CodegenError } from "./errors.js";
import { DEFAULT_PARAMETERS, parseParameters } from "./parameters.js";

describe("parseParameters", () => {
  it("defaults to the pipeline's settings", () => {
    expect(parseParameters("")).toEqual({
      templates: null,
      runtimeImport: "@grpc-cfg/runtime",
      importSuffix: ".js",
      manifest: true,
    });
    expect(parseParameters("")).toEqual(DEFAULT_PARAMETERS);
  });

  it("reads every option", () => {
    expect(
      parseParameters("templates=./tpl, runtime_import=@acme/rt,import_suffix=,manifest=false"),
    ).toEqual({ templates: "./tpl", runtimeImport: "@acme/rt", importSuffix: "", manifest: false });
    expect(parseParameters("manifest").manifest).toBe(true);
  });

  it.each([
    ["templates", 'plugin option "templates" needs a directory'],
    ["runtime_import=", 'plugin option "runtime_import" must be a module specifier'],
    ['runtime_import=a"b', 'plugin option "runtime_import" must be a module specifier'],
    [
      "import_suffix=js",
      'plugin option "import_suffix" must be empty or an extension such as .js, got "js"',
    ],
    ["manifest=no", 'plugin option "manifest" must be true or false, got "no"'],
    ["manifest=true,manifest=false", 'plugin option "manifest" is given more than once'],
    ["target=ts", 'unknown plugin option "target"'],
  ])("rejects %s", (parameter, message) => {
    expect(() => parseParameters(parameter)).toThrow(CodegenError);
    expect(() => parseParameters(parameter)).toThrow(message);
  });
});
