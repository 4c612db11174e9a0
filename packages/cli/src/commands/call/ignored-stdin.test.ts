// `grpc-cfg call` of a unary method with JSON piped to stdin but no -d, through the built
// CLI against a real server: the request is {} as documented, and a warning says that stdin
// was ignored and how to send it (-d @-).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_SERVICE, startEchoServer } from "../../../../client/src/testdata/echo-server.js";
import type { EchoServer } from "../../../../client/src/testdata/echo-server.js";
import { runCli as run, spawnCli } from "../testdata/cli-process.js";

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer();
});

afterAll(() => server.close());

const ECHO = `${ECHO_SERVICE}/Echo`;
const WARNING =
  `warning: stdin is ignored: ${ECHO} takes one request, from -d (sending {}); ` +
  "use -d @- to read it from stdin\n";

describe("grpc-cfg call: stdin of a unary method", () => {
  it("piped JSON without -d is not sent, and a warning says to use -d @-", async () => {
    const result = await run(["call", server.address, ECHO, "--compact"], {
      stdin: '{"note": {"text": "from stdin"}}\n',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(WARNING);
    expect(result.stdout).not.toContain("from stdin");
  });

  it("-d @- reads it, without a warning", async () => {
    const result = await run(["call", server.address, ECHO, "-d", "@-", "--compact"], {
      stdin: '{"note": {"text": "from stdin"}}\n',
    });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ note: { text: "from stdin" } });
  });

  it("empty or blank stdin, or -d given, is no reason to warn", async () => {
    for (const [args, stdin] of [
      [[], ""],
      [[], " \n\n"],
      [["-d", '{"note": {"text": "inline"}}'], '{"note": {"text": "from stdin"}}\n'],
    ] as const) {
      const result = await run(["call", server.address, ECHO, ...args], { stdin });
      expect(result.code, JSON.stringify(stdin)).toBe(0);
      expect(result.stderr, JSON.stringify(stdin)).toBe("");
    }
  });

  it("a stdin nobody writes to or closes neither warns nor keeps the call from ending", async () => {
    const call = spawnCli(["call", server.address, ECHO]); // stdin stays open
    const guard = setTimeout(() => call.child.kill(), 20_000); // A regression hangs.
    const result = await call.done;
    clearTimeout(guard);
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });
});
