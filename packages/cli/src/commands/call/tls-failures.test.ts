// `grpc-cfg call` over TLS, through the built CLI against real servers: a failed handshake
// gets a hint about the flag that fixes it, grpc-js's message loses its empty
// "Resolution note: ", and no Node deprecation warning (DEP0123, about the IP address
// grpc-js sends as TLS server name) is printed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_SERVICE, startEchoServer } from "../../../../client/src/testdata/echo-server.js";
import type { EchoServer } from "../../../../client/src/testdata/echo-server.js";
import { createSelfSignedCert } from "../../../../client/src/testdata/self-signed-cert.js";
import { runCli as run } from "../testdata/cli-process.js";
import { createMtlsCerts } from "./testdata/mtls-certs.js";
import { LAB_SERVICE, startWireLabServer } from "./testdata/wire-lab-server.js";
import type { WireLabServer } from "./testdata/wire-lab-server.js";

let tlsServer: EchoServer;
let plainServer: EchoServer;
let workDir: string;
let caFile: string;

beforeAll(async () => {
  const cert = createSelfSignedCert(); // For 127.0.0.1 and localhost.
  tlsServer = await startEchoServer({ tls: cert });
  plainServer = await startEchoServer();
  workDir = mkdtempSync(join(tmpdir(), "grpc-cfg-tls-hints-"));
  caFile = join(workDir, "ca.pem");
  writeFileSync(caFile, cert.cert);
});

afterAll(async () => {
  await tlsServer.close();
  await plainServer.close();
  rmSync(workDir, { recursive: true, force: true });
});

const METHOD = `${ECHO_SERVICE}/Count`;

describe("grpc-cfg call --tls", () => {
  it("an untrusted certificate: the hint is --cacert, with no deprecation warning", async () => {
    const result = await run(["call", tlsServer.address, METHOD, "--tls", "--deadline", "10s"]);
    expect(result.code).toBe(1);
    // OpenSSL's wording; older versions write "self signed".
    expect(result.stderr).toMatch(
      /^ERROR: UNAVAILABLE \(14\): No connection established\. Last error: Error: self[- ]signed certificate\.\n/,
    );
    expect(result.stderr.split("\n").slice(1)).toEqual([
      "hint: the server's certificate is not trusted: give the CA certificate that signed it " +
        "with --cacert FILE (for a self-signed certificate, the certificate itself)",
      "",
    ]);
  });

  it("a certificate for another name: the hint is --servername", async () => {
    const result = await run([
      "call",
      tlsServer.address,
      METHOD,
      "--cacert",
      caFile,
      "--servername",
      "wrong.example",
      "--deadline",
      "10s",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR: UNAVAILABLE \(14\): .*ERR_TLS_CERT_ALTNAME_INVALID.*\.\n/,
    );
    expect(result.stderr).not.toContain("Resolution note");
    expect(result.stderr).toContain(
      "\nhint: the server's certificate is not issued for wrong.example: give a name it is " +
        "issued for with --servername NAME (see the altnames above)\n",
    );
  });

  it("a trusted certificate at an IP address: the call works and stderr stays empty", async () => {
    const result = await run([
      "call",
      tlsServer.address,
      METHOD,
      "-d",
      '{"count": 1}',
      "--cacert",
      caFile,
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '{"number":1}\n', stderr: "" });
  });

  it("a plaintext server: the hint says to leave out --tls, OpenSSL's text is cut to its reason", async () => {
    const result = await run(["call", plainServer.address, METHOD, "--tls", "--deadline", "10s"]);
    expect(result.code).toBe(1);
    // The reason is OpenSSL's ("wrong version number" in OpenSSL 3), without its error codes,
    // source file and line.
    expect(result.stderr).toMatch(
      /^ERROR: UNAVAILABLE \(14\): No connection established\. Last error: Error: [a-z ]+\.\n/,
    );
    expect(result.stderr.split("\n").slice(1)).toEqual([
      `hint: the server at ${plainServer.address} does not seem to use TLS: leave out --tls and the other TLS flags`,
      "",
    ]);
  });
});

describe("grpc-cfg call --cert/--key (mutual TLS)", () => {
  let mtlsServer: WireLabServer;
  let files: Record<string, string>;

  beforeAll(async () => {
    const certs = createMtlsCerts();
    mtlsServer = await startWireLabServer({
      ca: certs.ca.cert,
      cert: certs.server.cert,
      key: certs.server.key,
    });
    files = {};
    for (const name of ["ca", "client", "rogue"] as const) {
      for (const part of ["cert", "key"] as const) {
        files[`${name}.${part}`] = join(workDir, `${name}.${part}.pem`);
        writeFileSync(join(workDir, `${name}.${part}.pem`), certs[name][part]);
      }
    }
  });

  afterAll(async () => {
    await mtlsServer.close();
  });

  const callWith = (client: "client" | "rogue") =>
    run([
      "call",
      mtlsServer.address,
      `${LAB_SERVICE}/Answer`,
      "--cacert",
      files["ca.cert"] as string,
      "--cert",
      files[`${client}.cert`] as string,
      "--key",
      files[`${client}.key`] as string,
      "--deadline",
      "10s",
    ]);

  it("a client certificate the server trusts: the call works", async () => {
    expect(await callWith("client")).toMatchObject({
      code: 0,
      stdout: '{\n  "number": 1\n}\n',
      stderr: "",
    });
  });

  it("a certificate the server refuses: the hint says the server may have refused it", async () => {
    const result = await callWith("rogue");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR: UNAVAILABLE \(14\): /);
    expect(result.stderr).toContain(
      `\nhint: is a gRPC server with TLS listening on ${mtlsServer.address}? If there is one, it ` +
        "may have refused the client certificate (--cert): is it signed by a CA the server " +
        "trusts, and still valid?\n",
    );
  });
});
