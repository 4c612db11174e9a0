// How toServerError classifies what it is given; the error-mapping tests beside this file
// check the same through a real server.
import { ServerError, Status } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import { createJsonLogger } from "../logging/logger.js";
import { NotFoundError, ValidationError } from "./app-errors.js";
import { databaseEndpoints } from "./database-endpoints.js";
import type { ErrorMappingContext } from "./map-error.js";
import { toServerError } from "./map-error.js";

function context(extra: Partial<ErrorMappingContext> = {}) {
  const lines: string[] = [];
  const ctx: ErrorMappingContext = {
    requestId: "req-1",
    path: "/a.v1.S/M",
    route: null,
    logger: createJsonLogger({ level: "debug", write: (line) => lines.push(line) }),
    deadlineExceeded: false,
    ...extra,
  };
  return { ctx, lines };
}

function aborted(): AbortSignal {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
}

function abortError(): Error {
  return Object.assign(new Error("This operation was aborted"), { name: "AbortError" });
}

describe("toServerError", () => {
  it("maps an AbortError by why the call's own signal fired", () => {
    const signal = aborted();
    expect(toServerError(abortError(), context({ signal }).ctx)).toMatchObject({
      code: Status.CANCELLED,
    });
    expect(
      toServerError(abortError(), context({ signal, deadlineExceeded: true }).ctx),
    ).toMatchObject({
      code: Status.DEADLINE_EXCEEDED,
    });
    // Shutdown's grace period over: retryable, not "the caller gave up".
    expect(toServerError(abortError(), context({ signal, shuttingDown: true }).ctx)).toMatchObject({
      code: Status.UNAVAILABLE,
      details: "Server shutting down",
    });
  });

  it("treats an AbortError as unexpected while the call's signal has not fired", () => {
    for (const signal of [undefined, new AbortController().signal]) {
      const { ctx, lines } = context(signal ? { signal } : {});
      const mapped = toServerError(abortError(), ctx);
      expect(mapped.code).toBe(Status.INTERNAL);
      expect(lines.join("\n")).toContain("unhandled error in handler");
    }
  });

  it("recognises the runtime's error classes, their subclasses and another copy's, not their names", async () => {
    class OrderNotFound extends NotFoundError {}
    expect(toServerError(new OrderNotFound("order 7"), context().ctx)).toMatchObject({
      code: Status.NOT_FOUND,
      details: "order 7",
    });
    // An app bundling its own copy of the runtime: a second instance of the module.
    const copy = (await import(
      /* @vite-ignore */ `./app-errors.js?copy=${Date.now()}`
    )) as typeof import("./app-errors.js");
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    expect(toServerError(new copy.NotFoundError("from the copy"), context().ctx)).toMatchObject({
      code: Status.NOT_FOUND,
      details: "from the copy",
    });
    expect(toServerError(new copy.ValidationError("bad", { a: "b" }), context().ctx).code).toBe(
      Status.INVALID_ARGUMENT,
    );
    expect(toServerError(new ValidationError("bad"), context().ctx).code).toBe(
      Status.INVALID_ARGUMENT,
    );

    const named = Object.assign(new Error("SECRET by name"), { name: "NotFoundError" });
    const mapped = toServerError(named, context().ctx);
    expect(mapped).toBeInstanceOf(ServerError);
    expect(mapped.code).toBe(Status.INTERNAL);
    expect(mapped.details).not.toContain("SECRET");
  });

  it("blames the database only for connection failures towards it", () => {
    const endpoints = databaseEndpoints("postgres://u:p@db.internal:5433/app");
    const ctx = context({ databaseEndpoints: endpoints }).ctx;
    const refused = (fields: object) =>
      toServerError(Object.assign(new Error("connect"), fields), ctx).details;
    // A host name: its addresses are unknown, the port decides.
    expect(refused({ code: "ECONNREFUSED", address: "10.1.1.1", port: 5433 })).toBe(
      "Database unavailable; retry later",
    );
    expect(refused({ code: "ECONNREFUSED", address: "10.1.1.1", port: 6379 })).toBe(
      "Service unavailable; retry later",
    );
    expect(refused({ code: "ENOTFOUND", hostname: "db.internal" })).toBe(
      "Database unavailable; retry later",
    );
    // Wrapped by Drizzle: the driver's error is the cause.
    const wrapped = new Error("Failed query", {
      cause: Object.assign(new Error("closed"), {
        code: "CONNECTION_CLOSED",
        address: ["db.internal"],
        port: [5433],
      }),
    });
    expect(toServerError(wrapped, ctx).details).toBe("Database unavailable; retry later");
    // SQLSTATE class 08, 57P0x and 53300 (too many connections) come from the database server whatever the address.
    expect(refused({ code: "08006" })).toBe("Database unavailable; retry later");
    expect(refused({ code: "57P01" })).toBe("Database unavailable; retry later");
    expect(refused({ code: "53300" })).toBe("Database unavailable; retry later");
    // Without a configured URL (PGlite) no connection failure is the database's.
    expect(
      toServerError(
        Object.assign(new Error("x"), { code: "ECONNREFUSED", address: "127.0.0.1", port: 5432 }),
        context().ctx,
      ).details,
    ).toBe("Service unavailable; retry later");
  });
});

describe("databaseEndpoints", () => {
  it("reads the hosts and ports of a PostgreSQL URL", () => {
    expect(databaseEndpoints("postgres://u:p@localhost/db")).toEqual([
      { host: "localhost", port: 5432 },
    ]);
    expect(
      databaseEndpoints("postgresql://u:p%40x@h1:5433,h2,[::1]:6000/db?sslmode=require"),
    ).toEqual([
      { host: "h1", port: 5433 },
      { host: "h2", port: 5432 },
      { host: "::1", port: 6000 },
    ]);
    expect(databaseEndpoints("postgres://u@/db?host=/var/run/postgresql")).toEqual([
      { host: "/var/run/postgresql", port: null },
    ]);
    expect(databaseEndpoints(null)).toEqual([]);
    expect(databaseEndpoints("not a url")).toEqual([]);
  });

  it("matches localhost to the loopback addresses", () => {
    const ctx = context({ databaseEndpoints: databaseEndpoints("postgres://u@localhost/db") }).ctx;
    for (const address of ["127.0.0.1", "::1"]) {
      const error = Object.assign(new Error("x"), { code: "ECONNREFUSED", address, port: 5432 });
      expect(toServerError(error, ctx).details).toBe("Database unavailable; retry later");
    }
    const other = Object.assign(new Error("x"), {
      code: "ECONNREFUSED",
      address: "10.0.0.1",
      port: 5432,
    });
    expect(toServerError(other, ctx).details).toBe("Service unavailable; retry later");
  });
});
