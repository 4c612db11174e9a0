// `call`, `services` and `describe` given an address where a name belongs (or the other way
// round), through the built CLI: a usage error (exit 2) saying what was meant, before
// anything connects — never a call to another server than the one typed.
import { describe, expect, it } from "vitest";
import { runCli as run } from "../testdata/cli-process.js";
import { looksLikeProtoName } from "./positional-args.js";

// Nothing listens there; these runs must fail before the CLI would find that out.
const NOWHERE = "127.0.0.1:1";

describe("an address where a name belongs", () => {
  it("call with only an address says the method is missing", async () => {
    for (const address of [NOWHERE, "[::1]:50051", "http://localhost:50051"]) {
      // Formerly the address was taken for the method and the call went to this one.
      const result = await run(["call", address], { env: { GRPC_CFG_ADDRESS: NOWHERE } });
      expect(result.code, address).toBe(2);
      expect(result.stderr, address).toBe(
        `error: missing method: give pkg.Service/Method (grpc-cfg services --long ${address} lists them)\n` +
          `hint: Write grpc-cfg call ${address} pkg.Service/Method.\n`,
      );
    }
  });

  it("call with the method before the address says the address comes first", async () => {
    const result = await run(["call", "a.v1.S/M", NOWHERE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: "${NOWHERE}" is a server address and "a.v1.S/M" is not: the address comes first\n` +
        `hint: Write grpc-cfg call ${NOWHERE} a.v1.S/M.\n`,
    );
  });

  it("describe with an address instead of a symbol points to --addr", async () => {
    const result = await run(["describe", NOWHERE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: "${NOWHERE}" is a server address, not a service, method, message or enum\n` +
        `hint: Give the address with --addr: grpc-cfg describe pkg.Service --addr ${NOWHERE} ` +
        `(grpc-cfg services --long ${NOWHERE} lists what it has).\n`,
    );
  });

  it("services with a service name instead of an address points to describe", async () => {
    const result = await run(["services", "shop.v1.UserService"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: "shop.v1.UserService" is a proto name, not a server address (host:port)\n` +
        "hint: grpc-cfg services lists a server's services; " +
        "grpc-cfg describe shop.v1.UserService --addr HOST:PORT describes one.\n",
    );
  });
});

describe("looksLikeProtoName", () => {
  it("takes fully qualified services, methods and types, and no host name", () => {
    for (const name of [
      "shop.v1.UserService",
      "shop.v1.UserService/GetUser",
      "shop.v1.UserService.GetUser",
      ".shop.v1.User",
    ]) {
      expect(looksLikeProtoName(name), name).toBe(true);
    }
    for (const host of [
      "localhost",
      "UserService",
      "db.example.com",
      "MyServer.local",
      "api.Example.com",
      "grpc-server.internal",
      "127.0.0.1",
    ]) {
      expect(looksLikeProtoName(host), host).toBe(false);
    }
  });
});
