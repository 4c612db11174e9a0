import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDynamicClient, DynamicClientError } from "./index.js";
import type { DynamicClient, MessageDescription, ServiceDescription } from "./index.js";
import { ECHO_SERVICE, startEchoServer, testProtoset } from "./testdata/echo-server.js";
import type { EchoServer, ReflectionFlavour } from "./testdata/echo-server.js";

describe("listing and describing", () => {
  let server: EchoServer;
  let client: DynamicClient;
  beforeAll(async () => {
    server = await startEchoServer();
    client = createDynamicClient(server.address);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it("lists services, with methods and call kinds on request", async () => {
    expect(await client.listServices()).toEqual([{ name: ECHO_SERVICE }]);
    expect(await client.listServices({ methods: true })).toEqual([
      {
        name: ECHO_SERVICE,
        methods: [
          { name: "Echo", callKind: "unary" },
          { name: "Count", callKind: "server_streaming" },
          { name: "Sum", callKind: "client_streaming" },
          { name: "Chat", callKind: "bidi_streaming" },
          { name: "Fail", callKind: "unary" },
          { name: "Sleep", callKind: "unary" },
        ],
      },
    ]);
  });

  it("describes a service as proto-like text with its comments", async () => {
    const service = (await client.describe(ECHO_SERVICE)) as ServiceDescription;
    expect(service.kind).toBe("service");
    expect(service.file).toBe("grpccfg/testing/v1/echo.proto");
    expect(service.comment).toBe(
      "EchoService exercises every call kind for the dynamic client's tests.",
    );
    expect(service.methods.map((m) => m.path)).toContain("/grpccfg.testing.v1.EchoService/Chat");
    expect(service.text).toContain("service EchoService {");
    expect(service.text).toContain("  // Sum adds up the numbers of a client stream.");
    expect(service.text).toContain(
      "  rpc Chat(stream grpccfg.testing.v1.ChatRequest) returns (stream grpccfg.testing.v1.ChatResponse);",
    );
    expect(service.text).toContain(
      "  rpc Count(grpccfg.testing.v1.CountRequest) returns (stream grpccfg.testing.v1.CountResponse);",
    );
  });

  it("describes a method by either spelling", async () => {
    for (const symbol of [`${ECHO_SERVICE}/Sum`, `${ECHO_SERVICE}.Sum`]) {
      expect(await client.describe(symbol)).toMatchObject({
        kind: "method",
        callKind: "client_streaming",
        inputType: "grpccfg.testing.v1.SumRequest",
        outputType: "grpccfg.testing.v1.SumResponse",
        path: "/grpccfg.testing.v1.EchoService/Sum",
      });
    }
  });

  it("describes a message from an imported file: fields, maps, nested types", async () => {
    const note = (await client.describe("grpccfg.testing.v1.Note")) as MessageDescription;
    expect(note.file).toBe("grpccfg/testing/v1/types.proto");
    expect(note.fields).toContainEqual({
      name: "big_number",
      jsonName: "bigNumber",
      number: 3,
      type: "int64",
      label: "singular",
      comment: "int64 travels as a JSON string.",
    });
    expect(note.fields).toContainEqual(
      expect.objectContaining({ name: "labels", type: "map<string, string>", label: "map" }),
    );
    expect(note.fields).toContainEqual(
      expect.objectContaining({ name: "sent_at", type: "google.protobuf.Timestamp" }),
    );
    expect(note.text).toContain("  repeated string tags = 7;");
    expect(note.text).toContain("    message Address {");
    expect(note.text).not.toContain("LabelsEntry");
  });

  it("describes nested messages and enums", async () => {
    const address = await client.describe("grpccfg.testing.v1.Note.Author.Address");
    expect(address).toMatchObject({
      kind: "message",
      comment: expect.stringContaining("two levels"),
    });
    expect(await client.describe("grpccfg.testing.v1.Priority")).toMatchObject({
      kind: "enum",
      values: [
        { name: "PRIORITY_UNSPECIFIED", number: 0 },
        { name: "PRIORITY_LOW", number: 1 },
        { name: "PRIORITY_HIGH", number: 2 },
      ],
    });
  });

  it("suggests close names for an unknown symbol", async () => {
    const error = await client.describe("grpccfg.testing.v1.Nte").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    expect((error as DynamicClientError).suggestions[0]).toBe("grpccfg.testing.v1.Note");
  });

  it("caches descriptors: describing again asks the server nothing", async () => {
    const fresh = createDynamicClient(server.address);
    try {
      await fresh.describe(ECHO_SERVICE);
      const asked = server.reflectionRequests();
      await fresh.describe(ECHO_SERVICE);
      await fresh.describe("grpccfg.testing.v1.Note");
      await fresh.invoke(`${ECHO_SERVICE}/Echo`, {});
      expect(server.reflectionRequests()).toBe(asked);
    } finally {
      fresh.close();
    }
  });
});

describe("reflection protocol versions", () => {
  let server: EchoServer | undefined;
  let client: DynamicClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  const cases: [ReflectionFlavour, string][] = [
    ["v1", "v1"],
    ["v1alpha", "v1alpha"],
    ["both", "v1"],
  ];
  it.each(cases)("a server offering %s is spoken to with %s", async (flavour, expected) => {
    server = await startEchoServer({ reflection: flavour });
    client = createDynamicClient(server.address);
    expect(client.reflectionVersion).toBeUndefined();
    const result = await client.invoke(`${ECHO_SERVICE}/Count`, { count: 2 });
    expect(result.kind).toBe("server_streaming");
    expect(client.reflectionVersion).toBe(expected);
    expect(await client.describe("grpccfg.testing.v1.Note")).toMatchObject({ kind: "message" });
  });

  it("a server without reflection gives a clear error", async () => {
    server = await startEchoServer({ reflection: "none" });
    client = createDynamicClient(server.address);
    const error = await client.listServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    expect((error as DynamicClientError).reason).toBe("no-reflection");
    expect((error as Error).message).toContain("grpc.reflection.v1alpha");
  });

  it("uses the bundled well-known types when the server does not serve them", async () => {
    const set = fromBinary(FileDescriptorSetSchema, testProtoset);
    const withoutTimestamp = create(FileDescriptorSetSchema, {
      file: set.file.filter((file) => file.name !== "google/protobuf/timestamp.proto"),
    });
    expect(withoutTimestamp.file.length).toBe(set.file.length - 1);
    server = await startEchoServer({
      protoset: toBinary(FileDescriptorSetSchema, withoutTimestamp),
    });
    client = createDynamicClient(server.address);
    const result = await client.invoke(`${ECHO_SERVICE}/Echo`, {
      note: { sentAt: "2024-01-01T00:00:00Z" },
    });
    if (result.kind !== "unary") throw new Error("expected unary");
    expect(result.response).toMatchObject({ note: { sentAt: "2024-01-01T00:00:00Z" } });
  });
});

describe("suggestions for an unknown symbol", () => {
  let server: EchoServer;
  let client: DynamicClient;
  beforeAll(async () => {
    // As in a grpc-cfg app, whose protos import options.proto and through it descriptor.proto:
    // every descriptor type is loaded, though no call uses one.
    const set = fromBinary(FileDescriptorSetSchema, testProtoset);
    for (const file of set.file) {
      if (file.name === "grpccfg/testing/v1/echo.proto")
        file.dependency.push("google/protobuf/descriptor.proto");
    }
    server = await startEchoServer({ protoset: toBinary(FileDescriptorSetSchema, set) });
    client = createDynamicClient(server.address);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  const suggestionsFor = async (symbol: string): Promise<readonly string[]> => {
    const error = await client.describe(symbol).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamicClientError);
    return (error as DynamicClientError).suggestions;
  };

  it("come from the package typed and the server's API, not from descriptor.proto", async () => {
    expect(await suggestionsFor("grpccfg.testing.v1.Nope")).toEqual(["grpccfg.testing.v1.Note"]);
    expect(await suggestionsFor("grpccfg.testing.v1.Label")).toEqual([]);
    const error = await client.describe("grpccfg.testing.v1.Label").catch((e: unknown) => e);
    expect((error as Error).message).not.toContain("Did you mean");
  });

  it("still include descriptor types when their package is the one typed", async () => {
    expect(await suggestionsFor("google.protobuf.FieldDescriptorProto.Labl")).toContain(
      "google.protobuf.FieldDescriptorProto.Label",
    );
  });
});
