import { create, createFileRegistry } from "@bufbuild/protobuf";
import type { FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodegenError } from "./errors.js";
import { buildServiceFileModel } from "./service-file-model.js";
import type { MethodModel } from "./service-file-model.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";

// Each file gets its own package (p.<basename>) so services may share names.
const head = (file: string): string => `syntax = "proto3";
package p.${file.replace(/^.*\/|\.proto$/g, "")};
import "grpc_cfg/v1/options.proto";
import "google/protobuf/empty.proto";
`;
const E = "(google.protobuf.Empty) returns (google.protobuf.Empty)";

// Every file is one case; bad ones only fail when generated, so one buf build serves all.
const PROTOS: Record<string, string> = {
  "ok/defaults.proto": `${head("ok/defaults.proto")}service Plain { rpc Get${E}; }`,
  "ok/inherit.proto": `${head("ok/inherit.proto")}
service Inventory {
  option (grpc_cfg.v1.service) = {
    auth: AUTH_POLICY_REQUIRED, staff_only: true, permission: "inv.view", read_only: true
  };
  rpc Inherits${E};
  rpc Overrides${E} {
    option (grpc_cfg.v1.method) = {
      auth: AUTH_POLICY_OPTIONAL, staff_only: false, permission: "", read_only: false
    };
  }
  rpc Adds${E} { option (grpc_cfg.v1.method) = { superuser_only: true }; }
}`,
  "ok/read_only.proto": `${head("ok/read_only.proto")}
service Catalog {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_READ_ONLY, auth: AUTH_POLICY_PUBLIC };
  rpc List${E};
  rpc Stats${E} { option (grpc_cfg.v1.method) = { read_only: true, auth: AUTH_POLICY_OPTIONAL }; }
}`,
  "ok/auth_required.proto": `${head("ok/auth_required.proto")}
service Orders {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc Mine${E};
  rpc Create${E} { option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_REQUIRED, permission: "orders.create_order" }; }
}`,
  "ok/implied.proto": `${head("ok/implied.proto")}
service Admin {
  option (grpc_cfg.v1.service) = { auth: AUTH_POLICY_PUBLIC };
  rpc Open${E};
  rpc Staff${E} { option (grpc_cfg.v1.method) = { staff_only: true }; }
  rpc Root${E} { option (grpc_cfg.v1.method) = { superuser_only: true }; }
  rpc Perm${E} { option (grpc_cfg.v1.method) = { permission: "admin.view_log" }; }
}`,
  "bad/public_in_auth_required.proto": `${head("bad/public_in_auth_required.proto")}
service Orders {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc Fine${E};
  rpc Peek${E} {
    option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_PUBLIC };
  }
}`,
  "bad/optional_in_auth_required.proto": `${head("bad/optional_in_auth_required.proto")}
service Orders {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc Peek${E} { option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_OPTIONAL }; }
}`,
  "bad/service_public_auth_required.proto": `${head("bad/service_public_auth_required.proto")}
service Orders {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED, auth: AUTH_POLICY_PUBLIC };
}`,
  "bad/writable_in_read_only.proto": `${head("bad/writable_in_read_only.proto")}
service Catalog {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_READ_ONLY };
  rpc Write${E} { option (grpc_cfg.v1.method) = { read_only: false }; }
}`,
  "bad/public_staff.proto": `${head("bad/public_staff.proto")}
service Admin {
  rpc Staff${E} { option (grpc_cfg.v1.method) = { auth: AUTH_POLICY_PUBLIC, staff_only: true }; }
}`,
  "bad/service_optional_permission.proto": `${head("bad/service_optional_permission.proto")}
service Admin {
  option (grpc_cfg.v1.service) = { auth: AUTH_POLICY_OPTIONAL, permission: "a.b" };
}`,
  "bad/permission_syntax.proto": `${head("bad/permission_syntax.proto")}
service Admin {
  rpc Get${E} { option (grpc_cfg.v1.method) = { permission: "orders create" }; }
}`,
  "bad/unknown_enum.proto": `${head("bad/unknown_enum.proto")}
service Admin {
  rpc Get${E} { option (grpc_cfg.v1.method) = { auth: 7 }; }
}`,
};

let ws: ProtoWorkspace;
let registry: FileRegistry;
const model = (file: string) =>
  buildServiceFileModel(registry.getFile(file)!, {
    runtimeImport: "@grpc-cfg/runtime",
    importSuffix: ".js",
  });
const policy = (file: string, rpc: string) => {
  const m = model(file)
    .services.flatMap((s) => s.methods)
    .find((x) => x.name === rpc);
  if (m === undefined) throw new Error(`no rpc ${rpc}`);
  const { auth, staffOnly, superuserOnly, permission, readOnly } = m;
  return { auth, staffOnly, superuserOnly, permission, readOnly } satisfies Partial<MethodModel>;
};
const P = {
  auth: "optional",
  staffOnly: false,
  superuserOnly: false,
  permission: null,
  readOnly: false,
};

beforeAll(async () => {
  ws = ProtoWorkspace.create(PROTOS);
  const request = await ws.request();
  registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
});
afterAll(() => ws?.dispose());

describe("effective policy", () => {
  it("defaults to a BaseService with optional auth", () => {
    expect(model("ok/defaults.proto").services[0]?.baseKind).toBe("base");
    expect(policy("ok/defaults.proto", "Get")).toEqual(P);
  });

  it("inherits the service's defaults and lets a method override each", () => {
    const all = {
      auth: "required",
      staffOnly: true,
      superuserOnly: false,
      permission: "inv.view",
      readOnly: true,
    };
    expect(policy("ok/inherit.proto", "Inherits")).toEqual(all);
    expect(policy("ok/inherit.proto", "Overrides")).toEqual(P);
    expect(policy("ok/inherit.proto", "Adds")).toEqual({ ...all, superuserOnly: true });
  });

  it("forces read_only in a READ_ONLY service", () => {
    expect(model("ok/read_only.proto").services[0]?.baseKind).toBe("read-only");
    expect(policy("ok/read_only.proto", "List")).toEqual({ ...P, auth: "public", readOnly: true });
    expect(policy("ok/read_only.proto", "Stats")).toEqual({ ...P, readOnly: true });
  });

  it("forces auth required in an AUTH_REQUIRED service", () => {
    expect(model("ok/auth_required.proto").services[0]?.baseKind).toBe("auth-required");
    expect(policy("ok/auth_required.proto", "Mine")).toEqual({ ...P, auth: "required" });
    expect(policy("ok/auth_required.proto", "Create")).toEqual({
      ...P,
      auth: "required",
      permission: "orders.create_order",
    });
  });

  it("makes staff_only, superuser_only and permission imply auth required", () => {
    expect(policy("ok/implied.proto", "Open")).toEqual({ ...P, auth: "public" });
    expect(policy("ok/implied.proto", "Staff")).toEqual({
      ...P,
      auth: "required",
      staffOnly: true,
    });
    expect(policy("ok/implied.proto", "Root")).toEqual({
      ...P,
      auth: "required",
      superuserOnly: true,
    });
    expect(policy("ok/implied.proto", "Perm")).toEqual({
      ...P,
      auth: "required",
      permission: "admin.view_log",
    });
  });
});

describe("contradicting options are errors naming file, line and rpc", () => {
  const cases: [string, string][] = [
    [
      "bad/public_in_auth_required.proto",
      "bad/public_in_auth_required.proto:9:3: rpc p.public_in_auth_required.Orders.Peek: auth public in an AUTH_REQUIRED service",
    ],
    [
      "bad/optional_in_auth_required.proto",
      "bad/optional_in_auth_required.proto:8:3: rpc p.optional_in_auth_required.Orders.Peek: auth optional in an AUTH_REQUIRED service",
    ],
    [
      "bad/service_public_auth_required.proto",
      "bad/service_public_auth_required.proto:6:1: service p.service_public_auth_required.Orders: auth public contradicts base AUTH_REQUIRED",
    ],
    [
      "bad/writable_in_read_only.proto",
      "bad/writable_in_read_only.proto:8:3: rpc p.writable_in_read_only.Catalog.Write: read_only: false in a READ_ONLY service",
    ],
    [
      "bad/public_staff.proto",
      "bad/public_staff.proto:7:3: rpc p.public_staff.Admin.Staff: auth public contradicts staff_only",
    ],
    [
      "bad/service_optional_permission.proto",
      'bad/service_optional_permission.proto:6:1: service p.service_optional_permission.Admin: auth optional contradicts permission "a.b"',
    ],
    [
      "bad/permission_syntax.proto",
      'bad/permission_syntax.proto:7:3: rpc p.permission_syntax.Admin.Get: permission "orders create" is not a codename',
    ],
    [
      "bad/unknown_enum.proto",
      "bad/unknown_enum.proto:7:3: rpc p.unknown_enum.Admin.Get: unknown grpc_cfg.v1.AuthPolicy value 7",
    ],
  ];
  for (const [file, message] of cases) {
    it(file.replace(/^bad\/|\.proto$/g, ""), () => {
      expect(() => model(file)).toThrow(CodegenError);
      expect(() => model(file)).toThrow(message);
    });
  }
});
