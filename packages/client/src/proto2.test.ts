import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamicClient, DynamicClientError } from "./index.js";
import type { DynamicClient, JsonValue, MessageDescription } from "./index.js";
import { startEchoServer } from "./testdata/echo-server.js";
import type { EchoServer } from "./testdata/echo-server.js";
import { LEGACY_SERVICE, startLabServer } from "./testdata/lab-server.js";
import type { LabServer } from "./testdata/lab-server.js";

// legacy.proto is proto2: GetItemRequest and Item have `required int64 id = 1`.
const GET_ITEM = `${LEGACY_SERVICE}/GetItem`;

let server: LabServer;
let client: DynamicClient;
let itemBytes: Buffer | undefined;

beforeAll(async () => {
  server = await startLabServer({
    // Without itemBytes, GetItem answers with the request's bytes (an Item with that id).
    [`/${GET_ITEM}`]: (requests) => (itemBytes ? [itemBytes] : requests),
  });
  client = createDynamicClient(server.address);
});
afterAll(async () => {
  client.close();
  await server.close();
});

async function getItem(input: JsonValue, emitDefaults = false): Promise<JsonValue> {
  const result = await client.invoke(GET_ITEM, input, { emitDefaults });
  if (result.kind !== "unary") throw new Error(`unexpected kind ${result.kind}`);
  return result.response;
}

describe("proto2 required fields in calls", () => {
  it("prints a response that lacks a required field, with the field unset", async () => {
    // What ts-proto servers send for `{id: 0, name: "n"}`: they skip a required field at 0.
    itemBytes = Buffer.from([0x12, 0x01, 0x6e]); // field 2 (name) = "n"
    try {
      expect(await getItem({ id: "5" })).toEqual({ name: "n" });
      expect(await getItem({ id: "5" }, true)).toMatchObject({ name: "n", tags: [] });
    } finally {
      itemBytes = undefined;
    }
  });

  it("refuses a request lacking a required field as bad input, naming it, sending nothing", async () => {
    const path = `/${GET_ITEM}`;
    const cases: [JsonValue, string][] = [
      [{}, "id"],
      [{ id: "1", filter: {} }, "filter.key"],
      [{ id: "1", moreFilters: [{ key: "a" }, {}] }, "moreFilters[1].key"],
    ];
    for (const [input, fieldPath] of cases) {
      const before = server.received.get(path)?.length ?? 0;
      const failure = await getItem(input).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DynamicClientError);
      expect(failure).toMatchObject({ reason: "invalid-input", fieldPath });
      expect((failure as Error).message).toBe(
        `invalid request for ${path} (grpccfg.lab.v1.GetItemRequest): ` +
          `field "${fieldPath}" is required and missing`,
      );
      expect(server.received.get(path)?.length ?? 0).toBe(before);
    }
  });

  it("sends a required field set to its zero value", async () => {
    expect(await getItem({ id: "0" })).toEqual({ id: "0" });
  });
});

describe("describe on proto2", () => {
  it("shows required and optional labels, defaults, groups and extension ranges", async () => {
    const item = (await client.describe("grpccfg.lab.v1.Item")) as MessageDescription;
    expect(item.text).toBe(
      [
        "// grpccfg.lab.v1.Item (grpccfg/lab/v1/legacy.proto)",
        "message Item {",
        "  required int64 id = 1;",
        '  optional string name = 2 [default = "unnamed"];',
        "  optional int32 qty = 3 [default = 7];",
        "  repeated string tags = 4;",
        "  optional group Extra = 5 {",
        "    optional string note = 6;",
        "  }",
        "  optional grpccfg.lab.v1.Color color = 7 [default = COLOR_GREEN];",
        '  optional bytes blob = 8 [default = "a\\"b"];',
        "  oneof choice {",
        "    string label = 9;",
        "  }",
        "  extensions 100 to 199;",
        "  extensions 1000 to max;",
        "}",
      ].join("\n"),
    );
    expect(item.fields).toContainEqual({
      name: "id",
      jsonName: "id",
      number: 1,
      type: "int64",
      label: "required",
    });
    expect(item.fields).toContainEqual(
      expect.objectContaining({ name: "name", label: "optional", defaultValue: '"unnamed"' }),
    );
    expect(item.fields).toContainEqual(
      expect.objectContaining({ name: "label", label: "singular", oneof: "choice" }),
    );
  });

  describe("proto3 output is unchanged", () => {
    let echo: EchoServer;
    let echoClient: DynamicClient;
    beforeAll(async () => {
      echo = await startEchoServer();
      echoClient = createDynamicClient(echo.address);
    });
    afterAll(async () => {
      echoClient.close();
      await echo.close();
    });

    it("has no labels on singular fields and no defaults", async () => {
      const response = await echoClient.describe("grpccfg.testing.v1.EchoResponse");
      expect(response.text).toBe(
        [
          "// grpccfg.testing.v1.EchoResponse (grpccfg/testing/v1/echo.proto)",
          "message EchoResponse {",
          "  grpccfg.testing.v1.Note note = 1;",
          "  // Request metadata seen by the server (text values only).",
          "  map<string, string> metadata = 2;",
          "  google.protobuf.Timestamp received_at = 3;",
          "}",
        ].join("\n"),
      );
    });
  });
});
