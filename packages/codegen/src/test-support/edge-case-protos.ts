/**
 * Inline protos for generate.test.ts: each file exercises edge cases of the generator (several
 * services, no package, nested / cross-package / WKT types, all call kinds, reserved rpc
 * names, name clashes, comments, empty services). Editions files are refused: editions.test.ts.
 */
export const EDGE_CASE_PROTOS: Record<string, string> = {
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
