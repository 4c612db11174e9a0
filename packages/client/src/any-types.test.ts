import { create, toBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { anyPack, AnySchema } from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { embeddedRegistry } from "./embedded-registry.js";
import { createDynamicClient, DynamicClientError } from "./index.js";
import type { DynamicClient, JsonValue } from "./index.js";
import { ANY_SERVICE, labMessage, startLabServer } from "./testdata/lab-server.js";
import type { LabServer } from "./testdata/lab-server.js";

// lab.proto (the methods) imports neither other.proto (Greeting, Envelope) nor far.proto
// (Far), and no lab file defines google.rpc.ErrorInfo: every Any below holds a type outside
// the method's file closure.
const PACK = `${ANY_SERVICE}/Pack`;
const URL_PREFIX = "type.googleapis.com/";

function pack(schema: DescMessage, init: MessageInitShape<DescMessage>): Any {
  return anyPack(schema, create(schema, init));
}

function packResponse(payload: Any | undefined, more: Any[] = []): Buffer {
  const schema = labMessage("grpccfg.lab.v1.PackResponse");
  return Buffer.from(toBinary(schema, create(schema, { payload, more })));
}

const greeting = () => pack(labMessage("grpccfg.lab.v1.Greeting"), { name: "A" });
const envelopeOfFar = () =>
  pack(labMessage("grpccfg.lab.v1.Envelope"), {
    inner: pack(labMessage("grpccfg.lab.v1.Far"), { note: "deep" }),
  });
const unknownType = () =>
  create(AnySchema, { typeUrl: `${URL_PREFIX}x.y.Unknown`, value: new Uint8Array([8, 1]) });

let server: LabServer;
let responses: Buffer[] = [];
let client: DynamicClient | undefined;

beforeAll(async () => {
  server = await startLabServer({
    // With no responses set, Pack answers with the request's bytes.
    [`/${ANY_SERVICE}/Pack`]: (requests) => (responses.length > 0 ? responses : requests),
    [`/${ANY_SERVICE}/PackStream`]: () => responses,
  });
});
afterEach(() => {
  client?.close();
  client = undefined;
});
afterAll(() => server.close());

/** A fresh client per test, so that no test profits from types another one loaded. */
function newClient(): DynamicClient {
  client = createDynamicClient(server.address);
  return client;
}

async function unary(input: JsonValue): Promise<JsonValue> {
  const result = await newClient().invoke(PACK, input);
  if (result.kind !== "unary") throw new Error(`unexpected kind ${result.kind}`);
  return result.response;
}

describe("google.protobuf.Any in responses", () => {
  it("resolves a type from a file the method's file does not import, through reflection", async () => {
    responses = [packResponse(greeting())];
    expect(await unary({})).toEqual({
      payload: { "@type": `${URL_PREFIX}grpccfg.lab.v1.Greeting`, name: "A" },
    });
  });

  it("resolves an Any packed inside an Any, and google.rpc types reflection does not serve", async () => {
    const errorInfo = embeddedRegistry.getMessage("google.rpc.ErrorInfo");
    if (!errorInfo) throw new Error("embedded descriptors lack google.rpc.ErrorInfo");
    responses = [packResponse(undefined, [envelopeOfFar(), pack(errorInfo, { reason: "R" })])];
    expect(await unary({})).toEqual({
      more: [
        {
          "@type": `${URL_PREFIX}grpccfg.lab.v1.Envelope`,
          inner: { "@type": `${URL_PREFIX}grpccfg.lab.v1.Far`, note: "deep" },
        },
        { "@type": `${URL_PREFIX}google.rpc.ErrorInfo`, reason: "R" },
      ],
    });
  });

  it("shows an Any of a type the server does not know as base64, at any depth", async () => {
    const envelope = pack(labMessage("grpccfg.lab.v1.Envelope"), { inner: unknownType() });
    responses = [packResponse(unknownType(), [envelope])];
    const unknownJson = { "@type": `${URL_PREFIX}x.y.Unknown`, value: "CAE=" };
    expect(await unary({})).toEqual({
      payload: unknownJson,
      more: [{ "@type": `${URL_PREFIX}grpccfg.lab.v1.Envelope`, inner: unknownJson }],
    });
  });

  it("a server stream converts every response, whatever its Any holds", async () => {
    responses = [packResponse(greeting()), packResponse(unknownType())];
    const result = await newClient().invoke(`${ANY_SERVICE}/PackStream`, {});
    if (result.kind !== "server_streaming") throw new Error(`unexpected kind ${result.kind}`);
    const seen: JsonValue[] = [];
    for await (const response of result.responses) seen.push(response);
    expect(seen).toEqual([
      { payload: { "@type": `${URL_PREFIX}grpccfg.lab.v1.Greeting`, name: "A" } },
      { payload: { "@type": `${URL_PREFIX}x.y.Unknown`, value: "CAE=" } },
    ]);
  });
});

describe("google.protobuf.Any in requests", () => {
  it("encodes an `@type` from another file, in unary and client-streaming requests", async () => {
    const request = { payload: { "@type": `${URL_PREFIX}grpccfg.lab.v1.Greeting`, name: "x" } };
    // PackRequest.payload and PackResponse.payload share field number 1: the echo decodes.
    responses = [];
    const echoed = await newClient().invoke(PACK, request);
    if (echoed.kind !== "unary") throw new Error(`unexpected kind ${echoed.kind}`);
    expect(echoed.response).toEqual(request);

    const nested = {
      payload: {
        "@type": `${URL_PREFIX}grpccfg.lab.v1.Envelope`,
        inner: { "@type": `${URL_PREFIX}grpccfg.lab.v1.Far`, note: "n" },
      },
    };
    const collected = await newClient().invoke(`${ANY_SERVICE}/Collect`, [request, nested]);
    if (collected.kind !== "client_streaming") throw new Error(`unexpected ${collected.kind}`);
    expect(collected.response).toEqual(nested);
  });

  it("refuses an `@type` the server does not know, naming it, before sending", async () => {
    const before = server.received.get(`/${PACK}`)?.length ?? 0;
    const failure = await newClient()
      .invoke(PACK, { payload: { "@type": `${URL_PREFIX}x.y.Unknown`, a: 1 } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DynamicClientError);
    expect(failure).toMatchObject({ reason: "invalid-input", fieldPath: "payload" });
    expect((failure as Error).message).toContain("x.y.Unknown");
    expect(server.received.get(`/${PACK}`)?.length ?? 0).toBe(before);
  });
});
