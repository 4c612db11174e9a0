// End-to-end tests of `grpc-cfg call`: the real CLI binary (built dist) against a real
// nice-grpc server with reflection, on 127.0.0.1 and a free port.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_SERVICE, startEchoServer } from "../../../client/src/testdata/echo-server.js";
import type { EchoServer } from "../../../client/src/testdata/echo-server.js";
import { createSelfSignedCert } from "../../../client/src/testdata/self-signed-cert.js";
import { runCli as run, spawnCli as cli } from "./testdata/cli-process.js";

let server: EchoServer;
let workDir: string;

beforeAll(async () => {
  server = await startEchoServer({ reflection: "v1alpha" });
  workDir = mkdtempSync(join(tmpdir(), "grpc-cfg-call-"));
});

afterAll(async () => {
  await server.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("grpc-cfg call", () => {
  it("unary: JSON in, pretty JSON out, -H headers reach the server", async () => {
    const before = server.seenMetadata.length;
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Echo`,
      "-d",
      '{"note": {"text": "hi", "bigNumber": "12345678901", "priority": "PRIORITY_HIGH"}}',
      "-H",
      "x-api-key: KEY-123",
      "-H",
      "x-trace:abc",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").length).toBeGreaterThan(3); // Pretty-printed.
    const response = JSON.parse(result.stdout) as {
      note: unknown;
      metadata: Record<string, string>;
    };
    expect(response.note).toEqual({
      text: "hi",
      bigNumber: "12345678901",
      priority: "PRIORITY_HIGH",
    });
    expect(server.seenMetadata[before]).toMatchObject({ "x-api-key": "KEY-123", "x-trace": "abc" });
  });

  it("unary: -d @file, the dotted method form, --compact and --verbose", async () => {
    const file = join(workDir, "request.json");
    writeFileSync(file, '{\n  "note": {"tags": ["x", "y"]}\n}\n');
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}.Echo`,
      "-d",
      `@${file}`,
      "--compact",
      "--verbose",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ note: { tags: ["x", "y"] } });
    expect(result.stderr).toContain("x-echo-header: from-server");
    expect(result.stderr).toContain("x-echo-trailer: done");
  });

  it("unary: with one positional the address comes from GRPC_CFG_ADDRESS", async () => {
    const result = await run(["call", `${ECHO_SERVICE}/Sleep`, "-d", '{"millis": 1}'], {
      env: { GRPC_CFG_ADDRESS: server.address },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ sleptMillis: 1 });
  });

  it("server stream: NDJSON out, one line per response", async () => {
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Count`,
      "-d",
      '{"count": 3}',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"number":1}\n{"number":2}\n{"number":3}\n');
  });

  it("client stream: NDJSON on stdin", async () => {
    const result = await run(["call", server.address, `${ECHO_SERVICE}/Sum`], {
      stdin: '{"value": "40"}\n\n{"value": 2}\n',
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ total: "42", count: 2 });
  });

  it("bidi: answers each stdin line before stdin is closed", async () => {
    const call = cli(["call", server.address, `${ECHO_SERVICE}/Chat`]);
    const waitForLines = async (count: number) => {
      const started = Date.now();
      while (call.stdout().split("\n").length <= count) {
        if (Date.now() - started > 10_000) throw new Error(`no answer; stdout: ${call.stdout()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    call.child.stdin.write('{"text": "first"}\n');
    await waitForLines(1);
    call.child.stdin.write('{"text": "second"}\n');
    await waitForLines(2);
    call.child.stdin.end();
    const result = await call.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '{"text":"echo: first","sequence":1}\n{"text":"echo: second","sequence":2}\n',
    );
  });

  it("a client stream that fails while stdin is still open exits without waiting for stdin", async () => {
    const call = cli(["call", server.address, `${ECHO_SERVICE}/Sum`, "--deadline", "300ms"]);
    call.child.stdin.write('{"value": 1}\n'); // ...and stdin is never closed.
    const guard = setTimeout(() => call.child.kill(), 20_000); // A regression hangs; don't leak it.
    const result = await call.done;
    clearTimeout(guard);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR: DEADLINE_EXCEEDED \(4\)/);
  });

  it("bidi: NDJSON from -d @file", async () => {
    const file = join(workDir, "chat.ndjson");
    writeFileSync(file, '{"text": "a"}\n{"text": "b"}\n');
    const result = await run(["call", server.address, `${ECHO_SERVICE}/Chat`, "-d", `@${file}`]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(2);
  });

  it("client stream: objects one after another on a line, or pretty-printed, as buf curl takes them", async () => {
    const inline = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Sum`,
      "-d",
      '{"value": 40} {"value": 1}{"value": 1}',
    ]);
    expect(inline.stderr).toBe("");
    expect(JSON.parse(inline.stdout)).toEqual({ total: "42", count: 3 });
    const piped = await run(["call", server.address, `${ECHO_SERVICE}/Sum`], {
      stdin: '{\n  "value": 5\n}\n{\n  "value": "}{"\n}\n',
    });
    // The second object's string holds brackets, yet it is read as one value (a number field
    // cannot hold "}{"); the call stops at that message.
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain("invalid request message #2 for");
  });

  it("a unary method given two objects says so instead of sending either", async () => {
    const before = server.seenMetadata.length;
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Echo`,
      "-d",
      '{"note": {"text": "a"}}\n{"note": {"text": "b"}}',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "request data from -d holds 2 JSON values (the second starts on line 2); this method takes one request",
    );
    expect(server.seenMetadata.length).toBe(before);
  });

  it("a gRPC error prints ERROR: CODE (num): message and exits 1", async () => {
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Fail`,
      "-d",
      '{"code": 5, "message": "no such user"}',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("ERROR: NOT_FOUND (5): no such user\n");
  });

  it("error details are printed under the status", async () => {
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Fail`,
      "-d",
      '{"code": 3, "message": "bad", "badField": "email"}',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ERROR: INVALID_ARGUMENT (3): bad\n");
    expect(result.stderr).toContain('"@type":"type.googleapis.com/google.rpc.BadRequest"');
    expect(result.stderr).toContain('"field":"email"');
  });

  it("--deadline: a slow call fails with DEADLINE_EXCEEDED", async () => {
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Sleep`,
      "-d",
      '{"millis": 5000}',
      "--deadline",
      "300ms",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR: DEADLINE_EXCEEDED \(4\): /);
  });

  it("a bad field value is named, and nothing is sent", async () => {
    const before = server.seenMetadata.length;
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Echo`,
      "-d",
      '{"note": {"author": {"nmae": "x"}}}',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('field "note.author.nmae"');
    expect(result.stderr).toContain('key "nmae" is unknown');
    expect(server.seenMetadata.length).toBe(before);
  });

  it("text that is not JSON is reported with its line in a stream", async () => {
    const result = await run(["call", server.address, `${ECHO_SERVICE}/Sum`], {
      stdin: '{"value": 1}\n{value: 2}\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("line 2 of stdin is not valid JSON");
  });

  it("an unknown method exits 1 with close matches and a hint", async () => {
    const result = await run(["call", server.address, `${ECHO_SERVICE}/Ecoh`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Did you mean: ${ECHO_SERVICE}/Echo?`);
    expect(result.stderr).toContain(`hint: grpc-cfg services --long ${server.address}`);
  });

  it("a malformed header or deadline is a usage error naming it", async () => {
    const header = await run(["call", server.address, `${ECHO_SERVICE}/Echo`, "-H", "no-colon"]);
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('header "no-colon" is not "name: value"');
    const deadline = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Echo`,
      "--deadline",
      "soon",
    ]);
    expect(deadline.code).toBe(2);
    expect(deadline.stderr).toContain('"soon" is not a duration');
  });

  it("headers grpc-js sets itself are left out with a warning saying what to use", async () => {
    const before = server.seenMetadata.length;
    const result = await run([
      "call",
      server.address,
      `${ECHO_SERVICE}/Echo`,
      "-H",
      "grpc-timeout: 1S",
      "-H",
      "user-agent: myagent/1",
      "-H",
      "te: gzip",
      "-H",
      ":authority: other.example",
      "-H",
      "x-kept: yes",
      "-H",
      "x-b-bin: AAEC",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "warning: -H grpc-timeout is not sent: use --deadline to set the call's deadline\n" +
        "warning: -H user-agent is not sent: grpc-js sends its own (grpc-node-js/…); use another header, e.g. x-user-agent\n" +
        "warning: -H te is not sent: grpc-js always sends te: trailers\n" +
        "warning: -H :authority is not sent: HTTP/2 pseudo-headers come from the address and the method\n",
    );
    const seen = server.seenMetadata[before];
    expect(seen).toMatchObject({ "x-kept": "yes" });
    expect(seen?.["user-agent"]).toMatch(/^grpc-node-js\//);
  });

  it("--cacert: calls a TLS server that plaintext cannot reach", async () => {
    const cert = createSelfSignedCert();
    const tlsServer = await startEchoServer({ tls: cert });
    try {
      const caFile = join(workDir, "ca.pem");
      writeFileSync(caFile, cert.cert);
      const method = `${ECHO_SERVICE}/Count`;
      const secure = await run([
        "call",
        tlsServer.address,
        method,
        "-d",
        '{"count": 1}',
        "--cacert",
        caFile,
      ]);
      expect(secure.code).toBe(0);
      expect(secure.stdout).toBe('{"number":1}\n');
      const plain = await run(["call", tlsServer.address, method, "--deadline", "3s"]);
      expect(plain.code).toBe(1);
      expect(plain.stderr).toMatch(/^ERROR: UNAVAILABLE \(14\)/);
      expect(plain.stderr).toContain(`hint: is a gRPC server listening on ${tlsServer.address}?`);
    } finally {
      await tlsServer.close();
    }
  });
});
