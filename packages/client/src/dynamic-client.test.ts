import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamicClient, DynamicClientError, GrpcCallError } from "./index.js";
import type { DynamicClient, JsonValue } from "./index.js";
import { ECHO_SERVICE, startEchoServer } from "./testdata/echo-server.js";
import type { EchoServer } from "./testdata/echo-server.js";

let server: EchoServer;
let client: DynamicClient;

beforeAll(async () => {
  server = await startEchoServer();
  client = createDynamicClient(server.address, { metadata: { "x-client": "dyn" } });
});

afterAll(async () => {
  client.close();
  await server.close();
});

async function collect(responses: AsyncIterable<JsonValue>): Promise<JsonValue[]> {
  const all: JsonValue[] = [];
  for await (const response of responses) all.push(response);
  return all;
}

describe("unary calls", () => {
  it("round-trips nested messages, enums, maps, Timestamp and int64 through proto3 JSON", async () => {
    const note = {
      text: "hello",
      priority: "PRIORITY_HIGH",
      bigNumber: "9007199254740991",
      sentAt: "2024-01-02T03:04:05.250Z",
      labels: { team: "core", env: "test" },
      author: { name: "Ada", address: { city: "London", country: "UK" } },
      tags: ["a", "b"],
    };
    const result = await client.invoke(`${ECHO_SERVICE}/Echo`, { note });
    expect(result.kind).toBe("unary");
    if (result.kind !== "unary") return;
    expect(result.response).toMatchObject({ note, receivedAt: "2024-05-06T07:08:09.500Z" });
    expect(result.method.path).toBe("/grpccfg.testing.v1.EchoService/Echo");
  });

  it("accepts int64 given as a JSON number and enums given by number", async () => {
    const result = await client.invoke(`${ECHO_SERVICE}/Echo`, {
      note: { bigNumber: 42, priority: 1 },
    });
    if (result.kind !== "unary") throw new Error(`unexpected kind ${result.kind}`);
    expect(result.response).toMatchObject({ note: { bigNumber: "42", priority: "PRIORITY_LOW" } });
  });

  it("sends client and per-call metadata and exposes response headers and trailers", async () => {
    const before = server.seenMetadata.length;
    const result = await client.invoke(
      `${ECHO_SERVICE}/Echo`,
      {},
      { metadata: { "X-Api-Key": "secret-key", "x-multi": ["one", "two"] } },
    );
    if (result.kind !== "unary") throw new Error(`unexpected kind ${result.kind}`);
    const seen = server.seenMetadata[before];
    expect(seen).toMatchObject({ "x-client": "dyn", "x-api-key": "secret-key" });
    // HTTP/2 carries repeated text values as one comma-joined header.
    expect(seen?.["x-multi"]).toBe("one, two");
    expect(result.headers["x-echo-header"]).toEqual(["from-server"]);
    expect(result.trailers["x-echo-trailer"]).toEqual(["done"]);
  });

  it("emits default values only when asked", async () => {
    const plain = await client.invoke(`${ECHO_SERVICE}/Echo`, { note: {} });
    const full = await client.invoke(`${ECHO_SERVICE}/Echo`, { note: {} }, { emitDefaults: true });
    if (plain.kind !== "unary" || full.kind !== "unary") throw new Error("expected unary");
    expect(plain.response).toMatchObject({ note: {} });
    expect(full.response).toMatchObject({
      note: { text: "", priority: "PRIORITY_UNSPECIFIED", bigNumber: "0", labels: {}, tags: [] },
    });
  });

  it("accepts `Service.Method` and an unambiguous short service name", async () => {
    for (const name of [`${ECHO_SERVICE}.Echo`, "EchoService/Echo", "/EchoService/Echo"]) {
      const result = await client.invoke(name, { note: { text: name } });
      expect(result.kind).toBe("unary");
    }
  });
});

describe("streaming calls", () => {
  it("server stream: one JSON value per response", async () => {
    const result = await client.invoke(`${ECHO_SERVICE}/Count`, { count: 3 });
    if (result.kind !== "server_streaming") throw new Error(`unexpected kind ${result.kind}`);
    expect(await collect(result.responses)).toEqual([{ number: 1 }, { number: 2 }, { number: 3 }]);
    expect(await result.trailers).toEqual({});
  });

  it("client stream: an array or an async iterable of requests", async () => {
    const fromArray = await client.invoke(`${ECHO_SERVICE}/Sum`, [
      { value: "5" },
      { value: 7 },
      { value: "9000000000" },
    ]);
    async function* requests() {
      yield { value: "1" };
      yield { value: "2" };
    }
    const fromGenerator = await client.invoke(`${ECHO_SERVICE}/Sum`, requests());
    if (fromArray.kind !== "client_streaming" || fromGenerator.kind !== "client_streaming") {
      throw new Error("expected client_streaming");
    }
    expect(fromArray.response).toEqual({ total: "9000000012", count: 3 });
    expect(fromGenerator.response).toEqual({ total: "3", count: 2 });
  });

  it("bidi: each answer arrives before the next request is sent", async () => {
    const sent: string[] = [];
    let answered = 0;
    async function* requests() {
      for (const text of ["one", "two", "three"]) {
        // Wait for the answer to the previous message: proves both directions stream.
        while (answered < sent.length) await new Promise((resolve) => setTimeout(resolve, 5));
        sent.push(text);
        yield { text };
      }
    }
    const result = await client.invoke(`${ECHO_SERVICE}/Chat`, requests());
    if (result.kind !== "bidi_streaming") throw new Error(`unexpected kind ${result.kind}`);
    const answers: JsonValue[] = [];
    for await (const answer of result.responses) {
      answered++;
      answers.push(answer);
    }
    expect(answers).toEqual([
      { text: "echo: one", sequence: 1 },
      { text: "echo: two", sequence: 2 },
      { text: "echo: three", sequence: 3 },
    ]);
  });

  it("rejects a single object for a client-streaming method and a generator for a unary one", async () => {
    await expect(client.invoke(`${ECHO_SERVICE}/Sum`, { value: "1" })).rejects.toMatchObject({
      reason: "wrong-call-kind",
    });
    async function* one() {
      yield {};
    }
    await expect(client.invoke(`${ECHO_SERVICE}/Echo`, one())).rejects.toMatchObject({
      reason: "wrong-call-kind",
    });
  });
});

describe("errors", () => {
  it("bad JSON names the field and is refused before anything is sent", async () => {
    const before = server.seenMetadata.length;
    const error = await client
      .invoke(`${ECHO_SERVICE}/Echo`, { note: { author: { address: { citty: "x" } } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    expect((error as DynamicClientError).reason).toBe("invalid-input");
    expect((error as DynamicClientError).fieldPath).toBe("note.author.address.citty");
    expect((error as Error).message).toContain('key "citty" is unknown');
    expect(server.seenMetadata.length).toBe(before);
  });

  it("bad values inside lists, maps and well-known types are located too", async () => {
    const cases: [JsonValue, string][] = [
      [{ note: { tags: ["ok", 5] } }, "note.tags[1]"],
      [{ note: { labels: { good: "x", bad: 1 } } }, 'note.labels["bad"]'],
      [{ note: { sentAt: "yesterday" } }, "note.sentAt"],
      [{ note: { priority: "PRIORITY_URGENT" } }, "note.priority"],
      [{ note: { bigNumber: "12abc" } }, "note.bigNumber"],
    ];
    for (const [input, path] of cases) {
      const error = await client.invoke(`${ECHO_SERVICE}/Echo`, input).catch((e: unknown) => e);
      expect((error as DynamicClientError).fieldPath, JSON.stringify(input)).toBe(path);
      expect((error as Error).message).toContain(`field "${path}"`);
    }
  });

  it("a bad message in a client stream fails the call naming its position", async () => {
    const error = await client
      .invoke(`${ECHO_SERVICE}/Sum`, [{ value: "1" }, { valeu: "2" }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    expect((error as Error).message).toContain("request message #2");
    expect((error as Error).message).toContain('key "valeu" is unknown');
  });

  it("a bad message in a bidi stream ends the response stream with that error", async () => {
    const result = await client.invoke(`${ECHO_SERVICE}/Chat`, [{ text: "ok" }, { txt: "bad" }]);
    if (result.kind !== "bidi_streaming") throw new Error("expected bidi");
    const error = await collect(result.responses).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    expect((error as Error).message).toContain("request message #2");
  });

  it("unknown method lists close matches", async () => {
    const error = await client.invoke(`${ECHO_SERVICE}/Ecoh`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    expect((error as DynamicClientError).reason).toBe("unknown-symbol");
    expect((error as DynamicClientError).suggestions).toEqual([`${ECHO_SERVICE}/Echo`]);
    expect((error as Error).message).toContain("Its methods: Echo, Count, Sum, Chat, Fail, Sleep");
  });

  it("unknown service lists close matches", async () => {
    const error = await client
      .invoke("grpccfg.testing.v1.EchoServce/Echo", {})
      .catch((e: unknown) => e);
    expect((error as DynamicClientError).reason).toBe("unknown-symbol");
    expect((error as DynamicClientError).suggestions).toContain(ECHO_SERVICE);
    expect((error as Error).message).toContain(`Did you mean: ${ECHO_SERVICE}?`);
  });

  it("a gRPC error carries code name, message and decoded google.rpc details", async () => {
    const error = await client
      .invoke(`${ECHO_SERVICE}/Fail`, { code: 3, message: "name is empty", badField: "name" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrpcCallError);
    expect(error).toMatchObject({
      code: 3,
      codeName: "INVALID_ARGUMENT",
      statusMessage: "name is empty",
    });
    expect((error as GrpcCallError).details).toEqual([
      {
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        fieldViolations: [{ field: "name", description: "is wrong" }],
      },
    ]);
    const plain = await client
      .invoke(`${ECHO_SERVICE}/Fail`, { code: 5, message: "no such user" })
      .catch((e: unknown) => e);
    expect((plain as Error).message).toBe("NOT_FOUND (5): no such user");
    expect((plain as GrpcCallError).details).toEqual([]);
  });

  it("an exceeded deadline fails with DEADLINE_EXCEEDED", async () => {
    const started = Date.now();
    const error = await client
      .invoke(`${ECHO_SERVICE}/Sleep`, { millis: 5000 }, { deadline: 150 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ codeName: "DEADLINE_EXCEEDED", code: 4 });
    expect(Date.now() - started).toBeLessThan(3000);
    const ok = await client.invoke(`${ECHO_SERVICE}/Sleep`, { millis: 10 }, { deadline: 5000 });
    if (ok.kind !== "unary") throw new Error("expected unary");
    expect(ok.response).toEqual({ sleptMillis: 10 });
  });

  it("an unreachable server fails with UNAVAILABLE", async () => {
    const closed = await startEchoServer();
    const address = closed.address;
    await closed.close();
    const dead = createDynamicClient(address, { deadline: 2000 });
    try {
      const error = await dead.listServices().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GrpcCallError);
      expect(["UNAVAILABLE", "DEADLINE_EXCEEDED"]).toContain((error as GrpcCallError).codeName);
    } finally {
      dead.close();
    }
  });
});
