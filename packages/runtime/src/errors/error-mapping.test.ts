import { ClientError, Status } from "nice-grpc-common";
import { BadRequest, RichClientError } from "nice-grpc-error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { startTestServer } from "../testdata/support/harness.js";
import type { TestDatabase } from "../testdata/support/pglite-provider.js";
import { createTestDatabase } from "../testdata/support/pglite-provider.js";

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClientError) return error;
    throw error;
  }
  throw new Error("call succeeded");
}

describe("error mapping", () => {
  let t: TestServer;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // The URL only tells connection errors towards the database from others'; the handlers
    // use the PGlite provider.
    t = await startTestServer({
      database: db,
      config: { database: { url: "postgres://app:pw@10.9.8.7:6543/app" } },
    });
  });
  afterAll(async () => {
    await t.close();
    await db.close();
  });

  it("maps a real PGlite unique violation (23505) to ALREADY_EXISTS", async () => {
    await t.test.writeRow({ name: "dup" });
    const error = await failure(t.test.writeRow({ name: "dup" }));
    expect(error.code).toBe(Status.ALREADY_EXISTS);
    expect(error.details).toBe("Resource already exists");
  });

  it("maps a real PGlite foreign-key violation (23503) to FAILED_PRECONDITION", async () => {
    const error = await failure(t.test.writeRow({ name: "fk:999999" }));
    expect(error.code).toBe(Status.FAILED_PRECONDITION);
    expect(error.details).not.toMatch(/item_tags|999999/);
  });

  const coded: Array<[string, Status]> = [
    ["40001", Status.ABORTED],
    ["40P01", Status.ABORTED],
    ["57P01", Status.UNAVAILABLE],
    ["08006", Status.UNAVAILABLE],
    ["ECONNREFUSED", Status.UNAVAILABLE],
    ["CONNECTION_CLOSED", Status.UNAVAILABLE],
    ["25006", Status.FAILED_PRECONDITION],
    ["23505", Status.ALREADY_EXISTS],
  ];
  it.each(coded)("maps code %s (direct and wrapped in cause) to %s", async (code, status) => {
    for (const kind of ["sqlstate", "wrapped"]) {
      const error = await failure(t.test.fail({ kind: `${kind}:${code}` }));
      expect(Status[error.code]).toBe(Status[status]);
      expect(error.details).not.toContain("secret_table");
    }
  });

  it("maps NotFoundError to NOT_FOUND with its message", async () => {
    const error = await failure(t.test.fail({ kind: "notFoundError" }));
    expect(error.code).toBe(Status.NOT_FOUND);
    expect(error.details).toBe("Order 42 not found");
  });

  it("maps ValidationError and ZodError to INVALID_ARGUMENT with BadRequest details", async () => {
    const validation = (await failure(t.test.fail({ kind: "validation" }))) as RichClientError;
    expect(validation.code).toBe(Status.INVALID_ARGUMENT);
    expect(validation.details).toBe("Bad order");
    const vDetail = validation.extra.find((d) => d.$type === BadRequest.$type) as BadRequest;
    expect(vDetail.fieldViolations[0]).toMatchObject({
      field: "quantity",
      description: "must be positive",
    });

    const zod = (await failure(t.test.fail({ kind: "zod" }))) as RichClientError;
    expect(zod).toBeInstanceOf(RichClientError);
    expect(zod.code).toBe(Status.INVALID_ARGUMENT);
    const zDetail = zod.extra.find((d) => d.$type === BadRequest.$type) as BadRequest;
    expect(zDetail.fieldViolations[0]?.field).toBe("age");
  });

  it("turns an unexpected error into INTERNAL without leaking it, logging it in full", async () => {
    t.logLines.length = 0;
    let requestId = "";
    const error = await failure(
      t.test.fail(
        { kind: "unexpected" },
        { onHeader: (h) => (requestId = h.get("x-request-id") ?? "") },
      ),
    );
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toBe(`Internal server error (request id ${requestId})`);
    expect(error.details).not.toContain("hunter2");
    const logged = t.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const entry = logged.find((l) => l["msg"] === "unhandled error in handler");
    expect(entry?.["requestId"]).toBe(requestId);
    const serialized = entry?.["error"] as { message: string; stack: string };
    expect(serialized.message).toContain("password=hunter2");
    expect(serialized.stack).toContain("test-implementations");
  });

  /** The server-log entries with `msg`, parsed. */
  function logged(msg: string): Record<string, unknown>[] {
    return t.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry["msg"] === msg);
  }

  it("an AbortError while the call's signal has not fired is an unexpected error", async () => {
    t.logLines.length = 0;
    t.sink.clear();
    const error = await failure(t.test.fail({ kind: "abortError" }));
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toMatch(/^Internal server error \(request id /);
    expect(error.details).not.toContain("secret");
    const [entry] = logged("unhandled error in handler");
    expect((entry?.["error"] as { stack: string }).stack).toContain("own timeout aborted");
    const [record] = await t.sink.waitFor(1);
    expect(record).toMatchObject({ status: "error", grpcCode: Status.INTERNAL });
  });

  it.each(["NotFoundError", "ValidationError"])(
    "a library error merely named %s is INTERNAL, its text not sent",
    async (name) => {
      t.logLines.length = 0;
      const error = await failure(t.test.fail({ kind: `namedError:${name}` }));
      expect(error.code).toBe(Status.INTERNAL);
      expect(error.details).not.toContain("secret");
      expect(logged("unhandled error in handler")).toHaveLength(1);
    },
  );

  it("a connection error towards the configured database: UNAVAILABLE, the database's", async () => {
    t.logLines.length = 0;
    const towardsDatabase = [
      { code: "ECONNREFUSED", address: "10.9.8.7", port: 6543 },
      // postgres.js gives its hosts and ports as lists.
      { code: "CONNECTION_CLOSED", address: ["10.9.8.7"], port: [6543] },
    ];
    for (const fields of towardsDatabase) {
      const error = await failure(t.test.fail({ kind: "coded", message: JSON.stringify(fields) }));
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.details).toBe("Database unavailable; retry later");
    }
    expect(logged("database error mapped to gRPC status")).toHaveLength(2);
  });

  it("a connection error towards anything else: UNAVAILABLE, not blamed on the database, logged as an error", async () => {
    t.logLines.length = 0;
    const elsewhere = [
      { code: "ECONNREFUSED", address: "10.0.0.5", port: 6379 },
      { code: "ECONNRESET" },
      { code: "ENOTFOUND", hostname: "api.example.com" },
      // The database's host on another port: some other service there.
      { code: "ECONNREFUSED", address: "10.9.8.7", port: 80 },
    ];
    for (const fields of elsewhere) {
      const error = await failure(t.test.fail({ kind: "coded", message: JSON.stringify(fields) }));
      expect(error.code).toBe(Status.UNAVAILABLE);
      expect(error.details).toBe("Service unavailable; retry later");
    }
    const entries = logged("connection error in handler");
    expect(entries).toHaveLength(4);
    expect(entries.every((entry) => entry["level"] === "error")).toBe(true);
    expect((entries[0]?.["error"] as { stack: string }).stack).toContain("test-implementations");
    expect(logged("database error mapped to gRPC status")).toHaveLength(0);
  });

  it("logs the generic INTERNAL message, not the internal one, in the request record", async () => {
    t.sink.clear();
    await failure(t.test.fail({ kind: "unexpected" }));
    const [record] = await t.sink.waitFor(1);
    expect(record?.status).toBe("error");
    expect(record?.errorMessage).toMatch(/^Internal server error/);
    expect(JSON.stringify(record)).not.toContain("hunter2");
  });
});
