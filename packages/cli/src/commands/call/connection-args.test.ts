// The connection flags of `call`, `services` and `describe`, through the built CLI: a bad
// value is a usage error (exit 2) with a hint, refused before anything connects.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as run } from "../testdata/cli-process.js";
import { createMtlsCerts } from "./testdata/mtls-certs.js";

// Nothing listens there; a refused flag must fail before the CLI would find that out.
const NOWHERE = "127.0.0.1:1";

describe("--deadline", () => {
  it("needs a unit: a bare number is refused, suggesting units", async () => {
    for (const command of [
      ["call", NOWHERE, "a.v1.S/M"],
      ["services", NOWHERE],
      ["describe", "a.v1.S", "--address", NOWHERE],
    ]) {
      const result = await run([...command, "--deadline", "500"]);
      expect(result.code, command[0]).toBe(2);
      expect(result.stderr, command[0]).toBe(
        'error: --deadline "500" has no unit\n' +
          "hint: Write one: --deadline 500ms, --deadline 500s or --deadline 500m.\n",
      );
    }
  });

  it("refuses text that is not a duration, zero and more than grpc-js servers handle", async () => {
    const cases: [string, string][] = [
      ["abc", 'error: --deadline "abc" is not a duration\n'],
      ["1.5", 'error: --deadline "1.5" has no unit\n'],
      [
        "0s",
        'error: --deadline must be longer than 0 and at most 2147483s (about 596h), got "0s"\n',
      ],
      // 2^31 ms and more wrap around to a past deadline in grpc-js servers.
      [
        "597h",
        'error: --deadline must be longer than 0 and at most 2147483s (about 596h), got "597h"\n',
      ],
      [
        "2147484s",
        'error: --deadline must be longer than 0 and at most 2147483s (about 596h), got "2147484s"\n',
      ],
    ];
    for (const [value, error] of cases) {
      const result = await run(["call", NOWHERE, "a.v1.S/M", "--deadline", value]);
      expect(result.code, value).toBe(2);
      expect(result.stderr.slice(0, error.length), value).toBe(error);
      expect(result.stderr.slice(error.length), value).toMatch(/^hint: .+\n$/); // No stack.
    }
  });
});

describe("TLS flags", () => {
  it("refuses --plaintext with a TLS flag, and half a client certificate, as usage errors", async () => {
    const cases: [string[], string][] = [
      [["--plaintext", "--tls"], "error: --plaintext conflicts with --tls/--cacert/"],
      [["--plaintext", "--cacert", "ca.pem"], "error: --plaintext conflicts with --tls/--cacert/"],
      [["--cert", "client.pem"], "error: mutual TLS needs both --cert and --key\n"],
    ];
    for (const [flags, error] of cases) {
      for (const command of [
        ["call", NOWHERE, "a.v1.S/M"],
        ["services", NOWHERE],
      ]) {
        const result = await run([...command, ...flags]);
        expect(result.code, `${command[0]} ${flags.join(" ")}`).toBe(2);
        expect(result.stderr.startsWith(error), result.stderr).toBe(true);
      }
    }
  });
});

describe("-H values", () => {
  it("a value a header cannot carry is a usage error naming the header", async () => {
    const cases: [string, string][] = [
      [
        "x-nonascii: é",
        'error: header x-nonascii: the value holds "é", which a header value cannot carry\n',
      ],
      [
        "x-api-key: gcfg_\u0007",
        'error: header x-api-key: the value holds "\\u0007", which a header value cannot carry\n',
      ],
      ["x-b-bin: !!!notbase64", "error: header x-b-bin: the value is not base64\n"],
      ["x-b-bin: AAECA", "error: header x-b-bin: the value is not base64\n"],
    ];
    for (const [header, error] of cases) {
      const result = await run(["call", NOWHERE, "a.v1.S/M", "-H", header]);
      expect(result.code, header).toBe(2);
      expect(result.stderr.slice(0, error.length), header).toBe(error);
      expect(result.stderr.slice(error.length), header).toMatch(/^hint: .+\n$/); // No stack.
    }
  });
});

describe("--cert and --key", () => {
  it("a key of another certificate is a usage error, found before connecting", async () => {
    const certs = createMtlsCerts();
    const dir = mkdtempSync(join(tmpdir(), "grpc-cfg-cert-key-"));
    try {
      writeFileSync(join(dir, "client.crt"), certs.client.cert);
      writeFileSync(join(dir, "rogue.key"), certs.rogue.key);
      writeFileSync(join(dir, "not-pem.crt"), "hello\n");
      const mismatch = await run([
        "call",
        NOWHERE,
        "a.v1.S/M",
        "--cert",
        join(dir, "client.crt"),
        "--key",
        join(dir, "rogue.key"),
      ]);
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toBe(
        "error: --cert and --key do not belong together\n" +
          `hint: The private key in ${join(dir, "rogue.key")} is not the key of the certificate in ${join(dir, "client.crt")}.\n`,
      );
      const notPem = await run([
        "services",
        NOWHERE,
        "--cert",
        join(dir, "not-pem.crt"),
        "--key",
        join(dir, "rogue.key"),
      ]);
      expect(notPem.code).toBe(2);
      expect(notPem.stderr).toMatch(
        /^error: cannot use --cert .*not-pem\.crt with --key .*rogue\.key: .+\nhint: .+\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
