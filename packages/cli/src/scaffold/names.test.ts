import { describe, expect, it } from "vitest";
import { CliError } from "../util/cli-error.js";
import {
  checkProtoPackage,
  isValidNpmName,
  npmNameFromFolder,
  protoPackageDir,
  protoPackageFromNpmName,
  serviceNames,
} from "./names.js";

function errorOf(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error("expected a CliError");
}

describe("serviceNames", () => {
  it("appends Service and derives file and folder names", () => {
    expect(serviceNames("Inventory")).toEqual({
      service: "InventoryService",
      entity: "Inventory",
      fileStem: "inventory",
      appFolder: "inventory",
      words: "inventory",
    });
    expect(serviceNames("StockLevelService")).toMatchObject({
      service: "StockLevelService",
      fileStem: "stock_level",
      appFolder: "stock-level",
      words: "stock level",
    });
  });

  it("splits acronyms and digits the way buf's lower_snake_case expects", () => {
    expect(serviceNames("HTTPProxyService").fileStem).toBe("http_proxy");
    expect(serviceNames("Http2GatewayService").fileStem).toBe("http2_gateway");
  });

  it("rejects names that are not PascalCase, suggesting one", () => {
    const lower = errorOf(() => serviceNames("stock-level"));
    expect(lower.message).toBe('"stock-level" is not a PascalCase service name');
    expect(lower.hint).toContain("e.g. StockLevel");
    expect(errorOf(() => serviceNames("Stock Level")).message).toContain("not a PascalCase");
    expect(errorOf(() => serviceNames("")).message).toContain("not a PascalCase");
    expect(errorOf(() => serviceNames("Service")).message).toContain("says nothing");
  });
});

describe("proto packages", () => {
  it("accepts versioned lower_snake_case packages", () => {
    for (const name of ["acme.v1", "acme.billing.v1beta1", "my_app.v2", "a.v1alpha", "x.v1test"]) {
      expect(checkProtoPackage(name)).toBe(name);
    }
  });

  it("names the broken rule", () => {
    expect(errorOf(() => checkProtoPackage("Acme.V1")).message).toContain(
      "is not a proto package name",
    );
    expect(errorOf(() => checkProtoPackage("acme")).message).toContain(
      "last segment must be a version",
    );
    expect(errorOf(() => checkProtoPackage("acme.api")).hint).toContain("acme.api.v1");
    expect(errorOf(() => checkProtoPackage("google.api.v1")).message).toContain("belongs to");
    expect(errorOf(() => checkProtoPackage("grpc_cfg.v1")).message).toContain("belongs to");
  });

  it("derives one from an npm name, and a folder from a package", () => {
    expect(protoPackageFromNpmName("@acme/order-api")).toBe("order_api.v1");
    expect(protoPackageFromNpmName("2fast")).toBe("app_2fast.v1");
    expect(protoPackageFromNpmName("grpc")).toBe("grpc_app.v1");
    expect(protoPackageDir("acme.billing.v1")).toBe("acme/billing/v1");
    for (const name of ["@acme/order-api", "2fast", "grpc", "my.app"]) {
      expect(() => checkProtoPackage(protoPackageFromNpmName(name))).not.toThrow();
    }
  });
});

describe("npm names", () => {
  it("validates and derives them from folder names", () => {
    expect(isValidNpmName("@acme/orders")).toBe(true);
    expect(isValidNpmName("Orders")).toBe(false);
    expect(isValidNpmName("my app")).toBe(false);
    expect(npmNameFromFolder("My Service_2")).toBe("my-service_2");
    expect(npmNameFromFolder("grpc-cfg-init-Ab3xYz")).toBe("grpc-cfg-init-ab3xyz");
    expect(npmNameFromFolder("!!!")).toBeUndefined();
  });
});
