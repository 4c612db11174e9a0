import type { ServiceDescription } from "@grpc-cfg/runtime";
import { describe, expect, it } from "vitest";
import { CliError } from "../../util/cli-error.js";
import { chooseProbe, parseProbeRequest, servicesOfApp } from "./probe-selection.js";

type Method = ServiceDescription["methods"][number];

function method(name: string, auth: string, extra: Partial<Method> = {}): Method {
  return { name, path: `/x/${name}`, callKind: "unary", auth, readOnly: false, ...extra };
}

function service(fullName: string, file: string, methods: Method[]): ServiceDescription {
  const withPaths = methods.map((m) => ({ ...m, path: `/${fullName}/${m.name}` }));
  return { fullName, className: "X", file, baseKind: "base", methods: withPaths };
}

const users = service("shop.v1.UserService", "/p/src/users/grpc-services.ts", [
  method("GetUser", "public"),
  method("UpdateProfile", "required"),
  method("DeleteUser", "staff"),
  method("ListUsers", "required", { callKind: "server-stream" }),
]);
const orders = service("shop.v1.OrderService", "/p/src/orders/grpc-services.ts", [
  method("CreateOrder", "required"),
  method("GetOrder", "required"),
  method("CancelOrder", "required"),
]);
const catalog = service("shop.v1.CatalogService", "/p/src/catalog/grpc-services.ts", [
  method("GetProduct", "public", { readOnly: true }),
]);

describe("chooseProbe", () => {
  it("prefers a unary auth-required method with a read-like name, never a write", () => {
    const probe = chooseProbe([users, catalog, orders], {});
    expect(probe).toMatchObject({
      name: "shop.v1.OrderService/GetOrder",
      path: "/shop.v1.OrderService/GetOrder",
      auth: "required",
      request: {},
      configured: false,
    });
  });

  it("keeps to the services of --app, skipping streams, staff-only methods and writes", () => {
    const probe = chooseProbe([users, orders], { appDir: "/p/src/users" });
    expect(probe.name).toBe("shop.v1.UserService/GetUser");
  });

  it("fails naming --probe when an app offers nothing safe to call with {}", () => {
    const writesOnly = service("w.v1.W", "/p/src/w/grpc-services.ts", [
      method("DeleteAll", "required"),
    ]);
    expect(() => chooseProbe([writesOnly], {})).toThrow(/no unary method/);
    expect(() => chooseProbe([writesOnly], {})).toThrow(CliError);
    expect(() => chooseProbe([users], { appDir: "/p/src/nothing" })).toThrow(/no served service/);
  });

  it("uses a configured probe in either spelling, with its request", () => {
    for (const spelling of [
      "shop.v1.UserService/GetUser",
      "shop.v1.UserService.GetUser",
      "/shop.v1.UserService/GetUser",
    ]) {
      const probe = chooseProbe([users], { probe: spelling, request: { userId: "1" } });
      expect(probe).toMatchObject({
        name: "shop.v1.UserService/GetUser",
        configured: true,
        request: { userId: "1" },
      });
    }
  });

  it("refuses a configured probe that is not served or not unary", () => {
    expect(() => chooseProbe([users], { probe: "shop.v1.UserService/Nope" })).toThrow(
      /no such method/,
    );
    expect(() => chooseProbe([users], { probe: "shop.v1.UserService/ListUsers" })).toThrow(
      /server-stream method/,
    );
  });
});

describe("parseProbeRequest", () => {
  it("accepts a JSON object and nothing else, as a usage error", () => {
    expect(parseProbeRequest("a.B/C", '{"id": "1"}')).toEqual({ id: "1" });
    expect(parseProbeRequest(undefined, undefined)).toBeUndefined();
    for (const bad of ["{oops", "[1]", "3"]) {
      let thrown: unknown;
      try {
        parseProbeRequest("a.B/C", bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CliError);
      expect((thrown as CliError).exitCode).toBe(2);
    }
    expect(() => parseProbeRequest(undefined, "{}")).toThrow(/--request needs --probe/);
  });
});

describe("servicesOfApp", () => {
  it("matches whole folder names, not prefixes", () => {
    const usersExtra = {
      ...users,
      fullName: "x.UsersExtra",
      file: "/p/src/users-extra/grpc-services.ts",
    };
    expect(servicesOfApp([users, usersExtra], "/p/src/users").map((s) => s.fullName)).toEqual([
      "shop.v1.UserService",
    ]);
  });
});
