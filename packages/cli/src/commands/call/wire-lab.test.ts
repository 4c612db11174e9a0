// `grpc-cfg call` on the wire, through the built CLI against a real grpc-js server: 64-bit
// integers typed as JSON numbers, the metadata of failed calls under --verbose, responses over
// grpc-js's 4 MiB receive limit, and the longest deadline grpc-js servers take.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as run } from "../testdata/cli-process.js";
import { LAB_SERVICE, startWireLabServer } from "./testdata/wire-lab-server.js";
import type { WireLabServer } from "./testdata/wire-lab-server.js";

let server: WireLabServer;

beforeAll(async () => {
  server = await startWireLabServer();
});

afterAll(async () => {
  await server.close();
});

const call = (method: string, args: string[], stdin?: string) =>
  run(["call", server.address, `${LAB_SERVICE}/${method}`, ...args], {
    ...(stdin === undefined ? {} : { stdin }),
  });

describe("integers beyond 2^53 typed as JSON numbers", () => {
  it("reach int64 and uint64 fields exactly, also repeated and nested", async () => {
    const result = await call("Echo", [
      "--compact",
      "-d",
      '{"i64": 9007199254740993, "u64": 18446744073709551615, "list": [-9223372036854775808, 1],' +
        ' "inner": {"i64": 9223372036854775807}}',
    ]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      i64: "9007199254740993",
      u64: "18446744073709551615",
      list: ["-9223372036854775808", "1"],
      inner: { i64: "9223372036854775807" },
    });
  });

  it("in a stream of requests, a number an int32 field refuses is quoted as typed", async () => {
    const result = await call("Chat", [], '{"code": 0, "size": 9007199254740993}\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("9007199254740993");
    expect(result.stderr).not.toContain("9007199254740992");
  });

  it("reach uint64 map values and the int64 fields of a message in an Any exactly", async () => {
    const result = await call("Echo", [
      "--compact",
      "-d",
      '{"counts": {"a": 18446744073709551615}, "any": {"@type": "type.googleapis.com/wirelab.v1.Numbers", "i64": 9007199254740993}}',
    ]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      counts: { a: "18446744073709551615" },
      any: { "@type": "type.googleapis.com/wirelab.v1.Numbers", i64: "9007199254740993" },
    });
  });

  it("leave float fields and google.protobuf.Value numbers as numbers", async () => {
    const result = await call("Echo", [
      "--compact",
      "-d",
      '{"d": 9007199254740993, "f": 18446744073709551615, "val": {"a": [9007199254740993]}, "i64": "5"}',
    ]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      d: 9007199254740992,
      f: 18446744073709552000,
      val: { a: [9007199254740992] },
      i64: "5",
    });
  });

  it("an out-of-range value is reported with the number as typed", async () => {
    for (const [json, typed] of [
      ['{"u64": 18446744073709551616}', "18446744073709551616"],
      ['{"i32": 9007199254740993}', "9007199254740993"],
    ] as const) {
      const result = await call("Echo", ["-d", json]);
      expect(result.code, json).toBe(1);
      expect(result.stderr, json).toContain(typed);
    }
  });

  it("digits inside strings and small numbers are left alone", async () => {
    const result = await call("Echo", [
      "--compact",
      "-d",
      '{"i64": "12345678901234567890123", "u64": 9007199254740991}',
    ]);
    expect(result.code).toBe(1); // The string is out of int64 range: refused as typed.
    expect(result.stderr).toContain("12345678901234567890123");
    const small = await call("Echo", ["--compact", "-d", '{"u64": 9007199254740991}']);
    expect(JSON.parse(small.stdout)).toEqual({ u64: "9007199254740991" });
  });
});

describe("--verbose on a failed call", () => {
  const expectMetadata = (stderr: string, name: string) => {
    expect(stderr).toMatch(
      new RegExp(`^response headers:\\n(?:  .*\\n)*  x-request-id: req-${name}\\n`),
    );
    expect(stderr).toMatch(/\nresponse trailers:\n {2}x-lab-trailer: end-\w+\nERROR: /);
  };

  it("unary: headers (sent early or with the status) and trailers are printed", async () => {
    for (const order of ['{"code": 7}', '{"code": 7, "headersFirst": true}']) {
      const result = await call("Answer", ["-v", "-d", order]);
      expect(result.code, order).toBe(1);
      expectMetadata(result.stderr, "answer");
      expect(result.stderr).toMatch(/\nERROR: PERMISSION_DENIED \(7\): failed on purpose \(7\)\n$/);
    }
  });

  it("client stream: headers and trailers are printed", async () => {
    const result = await call("Collect", ["-v"], '{"code": 5}\n');
    expect(result.code).toBe(1);
    expectMetadata(result.stderr, "collect");
  });

  it("server stream and bidi: the trailers are printed after the responses", async () => {
    const stream = await call("Stream", ["-v", "-d", '{"code": 9, "count": 2}']);
    expect(stream.code).toBe(1);
    expect(stream.stdout).toBe('{"number":1}\n{"number":2}\n');
    expectMetadata(stream.stderr, "stream");
    const chat = await call("Chat", ["-v"], '{"code": 0}\n{"code": 9}\n');
    expect(chat.code).toBe(1);
    expect(chat.stdout).toBe('{"number":1}\n{"number":2}\n');
    expectMetadata(chat.stderr, "chat");
  });
});

describe("responses over 4 MiB", () => {
  it("are refused by the client's limit, and the hint names --max-msg-size", async () => {
    const result = await call("Answer", ["-d", '{"size": 5000000}']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "ERROR: RESOURCE_EXHAUSTED (8): Received message larger than max (5000007 vs 4194304)\n" +
        "hint: this client refused a response of 5000007 bytes: its limit is 4194304 bytes; " +
        "raise it with --max-msg-size 5000007 (or more)\n",
    );
  });

  it("arrive with --max-msg-size, in a unary call and in a stream", async () => {
    const unary = await call("Answer", [
      "--compact",
      "--max-msg-size",
      "5000007",
      "-d",
      '{"size": 5000000}',
    ]);
    expect(unary.stderr).toBe("");
    expect(Buffer.from((JSON.parse(unary.stdout) as { blob: string }).blob, "base64")).toHaveLength(
      5_000_000,
    );
    const stream = await call("Stream", [
      "--max-msg-size",
      "16777216",
      "-d",
      '{"size": 5000000, "count": 2}',
    ]);
    expect(stream.stderr).toBe("");
    expect(stream.stdout.trimEnd().split("\n")).toHaveLength(2);
  });

  it("a bad --max-msg-size is a usage error", async () => {
    for (const value of ["0", "1.5", "4294967296"]) {
      const result = await call("Answer", ["--max-msg-size", value]);
      expect(result.code, value).toBe(2);
      expect(result.stderr, value).toMatch(
        /^error: --max-msg-size must be a whole number of bytes/,
      );
    }
  });
});

describe("--deadline", () => {
  it("at its maximum (2147483s) a grpc-js server does not take the call for expired", async () => {
    const result = await call("Answer", ["--deadline", "2147483s", "-d", "{}"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });
});
