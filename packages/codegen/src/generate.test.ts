import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "./generate.js";
import type { OutputFile } from "./generate.js";
import { parseParameters } from "./parameters.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";

// One workspace with every edge case: one buf build, one plugin run, one ts-proto run and
// one tsc for the lot (buf and tsc dominate the time).
const PROTOS: Record<string, string> = {
  "shop/v1/multi.proto": `
syntax = "proto3";
package shop.v1;
import "grpc_cfg/v1/options.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/timestamp.proto";
import "common/v1/common.proto";

// Users of the shop.
service UserService {
  // Fetches one user.
  rpc FetchUser(common.v1.User) returns (common.v1.User) {
    option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_PUBLIC };
  }
  rpc DeleteUser(google.protobuf.Empty) returns (google.protobuf.Empty) {
    option (grpc_cfg.v1.method) = { staff_only: true };
  }
}

service CatalogService {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_READ_ONLY };
  rpc Search(Query) returns (stream Query.Hit);
}

service OrderService {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc CreateOrder(Query) returns (google.protobuf.Timestamp) {
    option (grpc_cfg.v1.method) = { permission: "orders.create_order" };
  }
}

message Query {
  message Hit { string id = 1; Kind kind = 2; }
  enum Kind { KIND_UNSPECIFIED = 0; KIND_BOOK = 1; }
  string text = 1;
  optional int32 limit = 2;
  map<string, Hit> pinned = 3;
  oneof filter { string tag = 4; Kind kind = 5; }
  repeated common.v1.User authors = 6;
}
`,
  "common/v1/common.proto": `
syntax = "proto3";
package common.v1;
message User { string id = 1; string name = 2; }
`,
  "plain.proto": `
syntax = "proto3";
message Ping { string text = 1; }
service Plain { rpc Echo(Ping) returns (Ping); }
`,
  "streams/v1/streams.proto": `
syntax = "proto3";
package streams.v1;
message Msg { bytes data = 1; }
service Streams {
  rpc Unary(Msg) returns (Msg);
  rpc ServerStream(Msg) returns (stream Msg);
  rpc ClientStream(stream Msg) returns (Msg);
  rpc Bidi(stream Msg) returns (stream Msg);
}
`,
  "names/v1/reserved.proto": `
syntax = "proto3";
package names.v1;
import "google/protobuf/empty.proto";
service Reserved {
  rpc Delete(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc Constructor(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc GetUser(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc HandleGetUser(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc ToString(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc NotFound(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc Class(google.protobuf.Empty) returns (google.protobuf.Empty);
}
`,
  "names/v1/collide.proto": `
syntax = "proto3";
package names.v1;
import "common/v1/common.proto";
// Messages named like things the generated file imports or declares.
message ServiceContext { string a = 1; }
message BaseService { string b = 1; }
message MethodTable { string c = 1; }
message User { string d = 1; }
message ClashBase { string e = 1; }
message Date { string f = 1; }
message snake_case_request { message inner_THING { int32 x = 1; } }
service Clash {
  rpc Mix(ServiceContext) returns (BaseService);
  rpc Table(MethodTable) returns (ClashBase);
  rpc Users(User) returns (common.v1.User);
  rpc Dated(Date) returns (snake_case_request.inner_THING);
}
`,
  "docs/v1/comments.proto": `
syntax = "proto3";
package docs.v1;
import "google/protobuf/empty.proto";
// Ends early? */ not here. Ünïcödé ✓ 日本語 🚀
// Second line.
service Documented {
  option deprecated = true;
  // Returns */ nothing; /* nested */ opener.
  //
  // After a blank line: “quotes” and \\ backslash.
  rpc Nothing(google.protobuf.Empty) returns (google.protobuf.Empty) {
    option deprecated = true;
  }
}
`,
  "ed/v1/editions.proto": `
edition = "2023";
package ed.v1;
import "grpc_cfg/v1/options.proto";
message EdReq { string name = 1; int32 n = 2 [features.field_presence = IMPLICIT]; }
service EdService {
  option (grpc_cfg.v1.service) = { auth: AUTH_POLICY_REQUIRED };
  rpc Do(EdReq) returns (EdReq);
}
`,
  "empty/v1/empty.proto": `
syntax = "proto3";
package empty.v1;
message OnlyMessages { string x = 1; }
service Nothing {}
`,
  "empty/v1/no_services.proto": `
syntax = "proto3";
package empty.v1;
message Lonely { string x = 1; }
`,
};

let ws: ProtoWorkspace;
let files: OutputFile[];
const out = (name: string): string => {
  const file = files.find((f) => f.name === name);
  if (file === undefined) throw new Error(`no output ${name}; got ${files.map((f) => f.name).join(", ")}`);
  return file.content;
};

beforeAll(async () => {
  ws = ProtoWorkspace.create(PROTOS);
  const request = await ws.request();
  files = generate(request, { parameters: parseParameters(request.parameter) });
  await ws.runTsProto();
  ws.writeOutputs(files);
});
afterAll(() => ws?.dispose());

describe("generate", () => {
  it("writes one file per proto file with services, plus manifest and descriptor set", () => {
    expect(files.map((f) => f.name).sort()).toEqual([
      "docs/v1/comments.grpc-cfg.ts",
      "ed/v1/editions.grpc-cfg.ts",
      "empty/v1/empty.grpc-cfg.ts",
      "grpc-cfg.descriptor.ts",
      "grpc-cfg.manifest.ts",
      "names/v1/collide.grpc-cfg.ts",
      "names/v1/reserved.grpc-cfg.ts",
      "plain.grpc-cfg.ts",
      "shop/v1/multi.grpc-cfg.ts",
      "streams/v1/streams.grpc-cfg.ts",
    ]);
    for (const f of files) {
      expect(f.content.startsWith("// Code generated by protoc-gen-grpc-cfg. DO NOT EDIT.\n")).toBe(true);
    }
  });

  it("emits a class per service, extending the base its options choose", () => {
    const multi = out("shop/v1/multi.grpc-cfg.ts");
    expect(multi).toContain("export abstract class UserServiceBase extends BaseService {");
    expect(multi).toContain("export abstract class CatalogServiceBase extends ReadOnlyService {");
    expect(multi).toContain("export abstract class OrderServiceBase extends AuthRequiredService {");
    expect(multi).toContain('static readonly serviceName = "shop.v1.OrderService";');
    expect(multi).toContain("static readonly definition = OrderServiceDefinition;");
    expect(multi).toContain('static readonly baseKind = "auth-required";');
    expect(multi).toContain("}) satisfies MethodTable;");
  });

  it("imports ts-proto's types from the module that defines them, nested, cross-package and WKT", () => {
    const multi = out("shop/v1/multi.grpc-cfg.ts");
    expect(multi).toContain('import type { User } from "../../common/v1/common.js";');
    expect(multi).toContain('import type { Empty } from "../../google/protobuf/empty.js";');
    expect(multi).toContain('import type { Timestamp } from "../../google/protobuf/timestamp.js";');
    expect(multi).toMatch(/type Query_Hit,/);
    expect(multi).toMatch(/from "\.\/multi\.js";/);
    expect(multi).toContain("): AsyncIterable<DeepPartial<Query_Hit>>;");
  });

  it("handles files without a package", () => {
    const plain = out("plain.grpc-cfg.ts");
    expect(plain).toContain('static readonly serviceName = "Plain";');
    expect(plain).toContain('path: "/Plain/Echo",');
    expect(plain).toContain('import { type DeepPartial, type Ping, PlainDefinition } from "./plain.js";');
  });

  it("gives each call kind nice-grpc's handler shape", () => {
    const s = out("streams/v1/streams.grpc-cfg.ts");
    const sig = (handler: string): string => {
      const m = new RegExp(`abstract ${handler}\\(([^;]*);`).exec(s);
      if (m === null) throw new Error(`no ${handler}`);
      return m[1]!.replace(/\s+/g, " ").trim();
    };
    expect(sig("unary")).toBe("request: Msg, context: ServiceContext, ): Promise<DeepPartial<Msg>>");
    expect(sig("serverStream")).toBe(
      "request: Msg, context: ServiceContext, ): AsyncIterable<DeepPartial<Msg>>",
    );
    expect(sig("clientStream")).toBe(
      "requests: AsyncIterable<Msg>, context: ServiceContext, ): Promise<DeepPartial<Msg>>",
    );
    expect(sig("bidi")).toBe(
      "requests: AsyncIterable<Msg>, context: ServiceContext, ): AsyncIterable<DeepPartial<Msg>>",
    );
    for (const kind of ["unary", "server-stream", "client-stream", "bidi"]) {
      expect(s).toContain(`callKind: "${kind}",`);
    }
  });

  it("uses AuthenticatedContext exactly where the effective auth is required", () => {
    const multi = out("shop/v1/multi.grpc-cfg.ts");
    const ctxOf = (handler: string): string | undefined =>
      new RegExp(`abstract ${handler}\\([^)]*context: (\\w+),`).exec(multi)?.[1];
    expect(ctxOf("fetchUser")).toBe("ServiceContext");
    expect(ctxOf("deleteUser")).toBe("AuthenticatedContext"); // staff_only implies required
    expect(ctxOf("search")).toBe("ServiceContext");
    expect(ctxOf("createOrder")).toBe("AuthenticatedContext");
    expect(out("ed/v1/editions.grpc-cfg.ts")).toContain("context: AuthenticatedContext,");
  });

  it("renames handlers that collide with base-class members or `constructor`, deterministically", () => {
    const r = out("names/v1/reserved.grpc-cfg.ts");
    const entry = (rpc: string): { definitionKey?: string; handler?: string } => {
      const m = new RegExp(
        `${rpc}: Object\\.freeze\\(\\{[^}]*definitionKey: "(\\w+)",\\s*handler: "(\\w+)"`,
      ).exec(r);
      return { definitionKey: m?.[1], handler: m?.[2] };
    };
    expect(entry("Delete")).toEqual({ definitionKey: "delete", handler: "delete" });
    expect(entry("Constructor")).toEqual({ definitionKey: "constructor", handler: "handleConstructor" });
    expect(entry("HandleGetUser")).toEqual({ definitionKey: "handleGetUser", handler: "handleGetUser" });
    expect(entry("GetUser")).toEqual({ definitionKey: "getUser", handler: "handleGetUser2" });
    expect(entry("ToString")).toEqual({ definitionKey: "toString", handler: "handleToString" });
    expect(entry("NotFound")).toEqual({ definitionKey: "notFound", handler: "handleNotFound" });
    expect(entry("Class")).toEqual({ definitionKey: "class", handler: "class" });
    expect(r).toContain("abstract handleConstructor(");
    expect(r).not.toMatch(/abstract (constructor|getUser|toString|notFound)\(/);
    expect(r).toContain("Named `handleConstructor` because `constructor` is reserved");
  });

  it("aliases imports whose names collide with declared or imported names", () => {
    const c = out("names/v1/collide.grpc-cfg.ts");
    expect(c).toContain("BaseService as BaseService$1");
    expect(c).toContain("type ServiceContext as ServiceContext$1");
    expect(c).toContain("type MethodTable as MethodTable$1");
    expect(c).toContain("type ClashBase as ClashBase$1");
    expect(c).toContain("import type { User as User$1 } from \"../../common/v1/common.js\";");
    expect(c).toContain("type DateMessage");
    expect(c).toContain("type snakeCaseRequest_innerTHING");
    expect(c).toContain("export abstract class ClashBase extends BaseService {");
    expect(c).toContain("request: ServiceContext$1,\n    context: ServiceContext,");
    expect(c).toContain("): Promise<DeepPartial<BaseService$1>>;");
    expect(c).toContain("export abstract class ClashBase extends BaseService {");
  });

  it("copies proto comments into JSDoc with */ escaped and unicode intact", () => {
    const d = out("docs/v1/comments.grpc-cfg.ts");
    expect(d).toContain(" * Ends early? *\\/ not here. Ünïcödé ✓ 日本語 🚀\n * Second line.\n");
    expect(d).toContain("   * Returns *\\/ nothing; /* nested *\\/ opener.\n   *\n   * After a blank line: “quotes” and \\ backslash.\n");
    expect(d.match(/@deprecated/g)).toHaveLength(2);
    // Every comment that opens is closed exactly once.
    expect(d.match(/\/\*\*/g)?.length).toBe(d.match(/\*\//g)?.length);
  });

  it("handles a service without rpcs", () => {
    const e = out("empty/v1/empty.grpc-cfg.ts");
    expect(e).toContain("static readonly methods = Object.freeze({}) satisfies MethodTable;");
  });

  it("writes the manifest of every service of the run", () => {
    const m = out("grpc-cfg.manifest.ts");
    expect(m).toContain('import type { ServiceManifestEntry } from "@grpc-cfg/runtime";');
    expect(m).toContain('export { descriptorSet } from "./grpc-cfg.descriptor.js";');
    expect(m).toContain(
      'import { CatalogServiceBase, OrderServiceBase, UserServiceBase } from "./shop/v1/multi.grpc-cfg.js";',
    );
    expect(m).toContain('import { PlainBase } from "./plain.grpc-cfg.js";');
    const names = [...m.matchAll(/fullName: "([\w.]+)"/g)].map((x) => x[1]);
    expect(names.sort()).toEqual(
      [
        "Plain",
        "docs.v1.Documented",
        "ed.v1.EdService",
        "empty.v1.Nothing",
        "names.v1.Clash",
        "names.v1.Reserved",
        "shop.v1.CatalogService",
        "shop.v1.OrderService",
        "shop.v1.UserService",
        "streams.v1.Streams",
      ].sort(),
    );
  });

  it("embeds the FileDescriptorSet of every file in the request, without source info", async () => {
    const d = out("grpc-cfg.descriptor.ts");
    const base64 = [...d.matchAll(/^ {4}"([A-Za-z0-9+/=]+)",$/gm)].map((x) => x[1]).join("");
    const set = fromBinary(FileDescriptorSetSchema, Buffer.from(base64, "base64"));
    const request = await ws.request();
    expect(set.file.map((f) => f.name)).toEqual(request.protoFile.map((f) => f.name));
    expect(set.file.every((f) => f.sourceCodeInfo === undefined)).toBe(true);
    // The module's own decoder yields the same bytes.
    const mod = (await import(`${ws.genDir}/grpc-cfg.descriptor.ts`)) as { descriptorSet: Uint8Array };
    expect(Buffer.from(mod.descriptorSet).equals(Buffer.from(base64, "base64"))).toBe(true);
  });

  it("writes only the service files when manifest=false", async () => {
    const request = await ws.request("manifest=false");
    const names = generate(request, { parameters: parseParameters(request.parameter) }).map((f) => f.name);
    expect(names).not.toContain("grpc-cfg.manifest.ts");
    expect(names).not.toContain("grpc-cfg.descriptor.ts");
    expect(names).toContain("plain.grpc-cfg.ts");
  });

  it("honours runtime_import and import_suffix", async () => {
    const request = await ws.request("runtime_import=#runtime,import_suffix=", ["plain.proto"]);
    const [plain] = generate(request, { parameters: parseParameters(request.parameter) });
    expect(plain?.content).toContain('from "#runtime";');
    expect(plain?.content).toContain('from "./plain";');
  });

  it("type-checks with ts-proto's output under strict settings against the real runtime", async () => {
    expect(await ws.typeCheck()).toEqual([]);
  });
});
