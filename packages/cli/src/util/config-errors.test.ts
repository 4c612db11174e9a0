import { ConfigError } from "@grpc-cfg/runtime";
import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { configErrorToCliError, configProblem } from "./config-errors.js";
import { reportError } from "./report-error.js";

describe("configErrorToCliError", () => {
  it("names the config file the problem is in, as the user gave it", () => {
    const file = `${process.cwd()}/config/other.config.ts`;
    const error = configErrorToCliError(new ConfigError(["server.port: bad"], file));
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      `Invalid configuration in ${file}:\n  - server.port: bad`,
    );
    expect((error as CliError).hint).toBe(
      "fix config/other.config.ts (or the environment variables it reads)",
    );
  });

  it("does not blame a config file when there is none", () => {
    const error = configErrorToCliError(new ConfigError(["server.port: bad (from PORT)"], null));
    expect((error as CliError).hint).not.toContain("grpc-cfg.config.ts");
  });

  it("passes other errors through untouched", () => {
    const other = new Error("boom");
    expect(configErrorToCliError(other)).toBe(other);
  });
});

describe("configProblem", () => {
  it("reads exactly like the runtime's ConfigError", () => {
    const issues = ["auth.jwt.jwksFile: cannot read JWKS file /app/jwks.json"];
    const runtime = configErrorToCliError(new ConfigError(issues, "/app/grpc-cfg.config.ts"));
    const own = configProblem(issues, "/app/grpc-cfg.config.ts");
    expect(own.message).toBe((runtime as CliError).message);
    expect(own.hint).toBe((runtime as CliError).hint);
  });
});

describe("reportError", () => {
  it("prints a ConfigError thrown after loading (a TLS file at start) without a stack", () => {
    let text = "";
    const file = "/srv/app/grpc-cfg.config.ts";
    const code = reportError(
      new ConfigError(["server.tls.cert: cannot read /srv/app/nope.pem: ENOENT"], file),
      (chunk) => (text += chunk),
    );
    expect(code).toBe(1);
    expect(text).toBe(
      `error: Invalid configuration in ${file}:\n` +
        "  - server.tls.cert: cannot read /srv/app/nope.pem: ENOENT\n" +
        `hint: fix ${file} (or the environment variables it reads)\n`,
    );
  });
});
