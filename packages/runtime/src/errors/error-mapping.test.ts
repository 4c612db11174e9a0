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
    t = await startTestServer({ database: db });
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

  it("logs the generic INTERNAL message, not the internal one, in the request record", async () => {
    t.sink.clear();
    await failure(t.test.fail({ kind: "unexpected" }));
    const [record] = await t.sink.waitFor(1);
    expect(record?.status).toBe("error");
    expect(record?.errorMessage).toMatch(/^Internal server error/);
    expect(JSON.stringify(record)).not.toContain("hunter2");
  });
});
