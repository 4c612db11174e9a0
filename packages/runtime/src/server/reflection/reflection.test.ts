import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrpcCfgServer } from "../../index.js";
import { splitFileDescriptorSet } from "./descriptor-index.js";
import {
  compileProtos,
  reflect,
  reflectOne,
  startReflectionServer,
} from "./testdata/reflection-client.js";
import type { Answer } from "./testdata/reflection-client.js";

const PROTOS = {
  "shop/v1/common.proto": `syntax = "proto2";
package shop.v1;
message Tagged {
  optional string id = 1;
  extensions 100 to 200;
}
`,
  "shop/v1/ext.proto": `syntax = "proto2";
package shop.v1;
import "shop/v1/common.proto";
extend Tagged {
  optional string label = 150;
}
message Holder {
  extend Tagged {
    optional int32 weight = 101;
  }
}
`,
  "shop/v1/shop.proto": `syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
import "shop/v1/common.proto";
service ShopService {
  rpc GetItem(GetItemRequest) returns (Item);
}
enum Color {
  COLOR_UNSPECIFIED = 0;
  RED = 1;
}
message GetItemRequest {
  string id = 1;
}
message Item {
  string name = 1;
  oneof price {
    int64 cents = 2;
    string free_reason = 3;
  }
  Color color = 4;
  Tagged tag = 6;
  message Variant {
    enum Size {
      SIZE_UNSPECIFIED = 0;
      SMALL = 1;
    }
    Size size = 1;
  }
  google.protobuf.Timestamp created = 5;
}
`,
};

const SHOP = ["shop/v1/shop.proto", "google/protobuf/timestamp.proto", "shop/v1/common.proto"];

function errorOf(answer: Answer | undefined) {
  const m = answer?.response.messageResponse;
  return m?.case === "errorResponse" ? m.value : null;
}

describe("server reflection (real grpc-js client, inline protos built by buf)", () => {
  let set: Uint8Array;
  let server: GrpcCfgServer;
  let port: number;
  beforeAll(async () => {
    set = await compileProtos(PROTOS);
    ({ server, port } = await startReflectionServer(set));
  });
  afterAll(() => server?.shutdown("test done"));

  const symbol = async (value: string) => reflectOne(port, { case: "fileContainingSymbol", value });

  it.each([
    ["a field", "shop.v1.Item.name", "shop/v1/shop.proto"],
    ["an enum value (a sibling of its enum)", "shop.v1.RED", "shop/v1/shop.proto"],
    ["a nested enum value", "shop.v1.Item.Variant.SMALL", "shop/v1/shop.proto"],
    ["a nested enum", "shop.v1.Item.Variant.Size", "shop/v1/shop.proto"],
    ["a oneof", "shop.v1.Item.price", "shop/v1/shop.proto"],
    ["a method", "shop.v1.ShopService.GetItem", "shop/v1/shop.proto"],
    ["a nested message", "shop.v1.Item.Variant", "shop/v1/shop.proto"],
    ["a file-level extension", "shop.v1.label", "shop/v1/ext.proto"],
    ["an extension declared in a message", "shop.v1.Holder.weight", "shop/v1/ext.proto"],
  ])("file_containing_symbol finds %s", async (_, name, file) => {
    expect((await symbol(name)).files[0]).toBe(file);
  });

  it("does not invent scopes protobuf does not have (enum values are not inside the enum)", async () => {
    expect(errorOf(await symbol("shop.v1.Color.RED"))?.errorCode).toBe(5);
  });

  it("sends a file with its imports, each file once per stream", async () => {
    const answers = await reflect(port, [
      { case: "fileContainingSymbol", value: "shop.v1.Item" },
      { case: "fileContainingSymbol", value: "shop.v1.Tagged" },
      { case: "fileByFilename", value: "shop/v1/ext.proto" },
      { case: "fileByFilename", value: "shop/v1/shop.proto" },
    ]);
    expect(answers.map((a) => a.files)).toEqual([
      SHOP,
      ["shop/v1/common.proto"],
      ["shop/v1/ext.proto"],
      ["shop/v1/shop.proto"],
    ]);
    // A new stream starts afresh.
    expect((await symbol("shop.v1.Item")).files).toEqual(SHOP);
  });

  it("serves each file as the bytes of the descriptor set, not re-encoded", async () => {
    const answer = await reflectOne(port, { case: "fileByFilename", value: "shop/v1/shop.proto" });
    const m = answer.response.messageResponse;
    const sent = m.case === "fileDescriptorResponse" ? m.value.fileDescriptorProto : [];
    const original = splitFileDescriptorSet(set);
    for (const bytes of sent) expect(original.some((o) => Buffer.from(o).equals(bytes))).toBe(true);
    expect(sent).toHaveLength(3);
  });

  it.each([
    [150, "a file-level extend block"],
    [101, "an extend block nested in a message"],
  ])("file_containing_extension finds extension %i of %s", async (extensionNumber) => {
    const answer = await reflectOne(port, {
      case: "fileContainingExtension",
      value: { containingType: "shop.v1.Tagged", extensionNumber },
    });
    expect(answer.files).toEqual(["shop/v1/ext.proto", "shop/v1/common.proto"]);
  });

  it("all_extension_numbers_of_type lists the extensions, sorted; none for a known type", async () => {
    const [tagged, item, unknown] = await reflect(port, [
      { case: "allExtensionNumbersOfType", value: "shop.v1.Tagged" },
      { case: "allExtensionNumbersOfType", value: "shop.v1.Item" },
      { case: "allExtensionNumbersOfType", value: "nope.v1.Missing" },
    ]);
    expect(tagged?.response.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "shop.v1.Tagged", extensionNumber: [101, 150] },
    });
    expect(item?.response.messageResponse).toMatchObject({
      value: { baseTypeName: "shop.v1.Item", extensionNumber: [] },
    });
    expect(errorOf(unknown)?.errorCode).toBe(5);
  });

  it("answers an unknown symbol with NOT_FOUND, echoing the request, and keeps the stream open", async () => {
    const [missing, next] = await reflect(
      port,
      [
        { case: "fileContainingSymbol", value: "shop.v1.Nope" },
        { case: "fileContainingSymbol", value: "shop.v1.Tagged" },
      ],
      "v1",
      "example.com",
    );
    expect(errorOf(missing)).toEqual({
      $typeName: "grpc.reflection.v1.ErrorResponse",
      errorCode: 5,
      errorMessage: "Symbol not found: shop.v1.Nope",
    });
    expect(missing?.response.originalRequest).toMatchObject({
      host: "example.com",
      messageRequest: { case: "fileContainingSymbol", value: "shop.v1.Nope" },
    });
    expect(missing?.response.validHost).toBe("example.com");
    expect(next?.files).toEqual(["shop/v1/common.proto"]);
  });

  it("answers a request that asks nothing with UNIMPLEMENTED, as grpc C++ does", async () => {
    const answer = await reflectOne(port, { case: undefined });
    expect(errorOf(answer)?.errorCode).toBe(12);
    expect(answer.response.originalRequest).toBeDefined();
  });

  it("v1alpha answers the same way", async () => {
    const [answer] = await reflect(
      port,
      [{ case: "fileContainingSymbol", value: "shop.v1.Item.Variant.SMALL" }],
      "v1alpha",
    );
    expect(answer?.files).toEqual(SHOP);
  });

  it("lists services (health included) but not the google.rpc files it also serves", async () => {
    const [list, details] = await reflect(port, [
      { case: "listServices", value: "*" },
      { case: "fileContainingSymbol", value: "google.rpc.BadRequest.FieldViolation" },
    ]);
    expect(list?.response.messageResponse).toMatchObject({
      value: { service: [{ name: "grpc.health.v1.Health" }] },
    });
    expect(details?.files).toEqual([
      "google/rpc/error_details.proto",
      "google/protobuf/duration.proto",
    ]);
    expect((await symbol("google.rpc.Status")).files).toEqual([
      "google/rpc/status.proto",
      "google/protobuf/any.proto",
    ]);
  });
});
