import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { startTestServer, withKey, KEYS } from "../testdata/support/harness.js";

async function* messages(...texts: string[]) {
  for (const message of texts) yield { message };
}

describe("all four call kinds through the full chain", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it("unary: echoes, returns the request id header and the handler's trailer", async () => {
    let header: string | undefined;
    let trailer: string | undefined;
    const response = await t.test.echo(
      { message: "hi" },
      {
        onHeader: (h) => (header = h.get("x-request-id")),
        onTrailer: (tr) => (trailer = tr.get("x-echo-trailer")),
      },
    );
    expect(response.message).toBe("hi");
    expect(response.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(header).toBe(response.requestId);
    expect(trailer).toBe("yes");
  });

  it("server stream: yields every message", async () => {
    const got: string[] = [];
    for await (const r of t.test.repeat({ message: "m", count: 3 })) got.push(r.message);
    expect(got).toEqual(["m 0", "m 1", "m 2"]);
  });

  it("client stream: receives every message", async () => {
    const r = await t.test.collect(messages("a", "b", "c"));
    expect(r.message).toBe("a,b,c");
  });

  it("bidi: answers each message as the authenticated user", async () => {
    const got: string[] = [];
    for await (const r of t.test.chat(messages("x", "y"), withKey(KEYS.plain))) got.push(r.message);
    expect(got).toEqual(["alice: x", "alice: y"]);
  });

  it("keeps a sane client x-request-id and replaces an unsafe one", async () => {
    const { metadata } = withKey(KEYS.plain, { "x-request-id": "req-123.abc" });
    const kept = await t.test.echo({ message: "" }, { metadata });
    expect(kept.requestId).toBe("req-123.abc");
    for (const unsafe of ["id with spaces;drop", "x".repeat(129)]) {
      const replaced = await t.test.echo(
        { message: "" },
        withKey(KEYS.plain, { "x-request-id": unsafe }),
      );
      expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
