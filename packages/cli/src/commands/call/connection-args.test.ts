// The connection flags of `call`, `services` and `describe`, through the built CLI: a bad
// value is a usage error (exit 2) with a hint, refused before anything connects.
import { describe, expect, it } from "vitest";
import { runCli as run } from "../testdata/cli-process.js";

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

  it("refuses text that is not a duration, zero and more than 100 years", async () => {
    const cases: [string, string][] = [
      ["abc", 'error: --deadline "abc" is not a duration\n'],
      ["1.5", 'error: --deadline "1.5" has no unit\n'],
      ["0s", 'error: --deadline must be longer than 0 and at most 876000h, got "0s"\n'],
      [
        "99999999h",
        'error: --deadline must be longer than 0 and at most 876000h, got "99999999h"\n',
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
