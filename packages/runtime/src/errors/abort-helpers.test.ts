import { ClientError, Status } from "nice-grpc-common";
import { BadRequest, ErrorInfo, RichClientError } from "nice-grpc-error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { startTestServer } from "../testdata/support/harness.js";

async function callError(t: TestServer, kind: string, message = ""): Promise<ClientError> {
  try {
    await t.test.fail({ kind, message });
  } catch (error) {
    if (error instanceof ClientError) return error;
    throw error;
  }
  throw new Error(`Fail(${kind}) did not fail`);
}

describe("abort helpers", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const cases: Array<[string, Status]> = [
    ["notFound", Status.NOT_FOUND],
    ["permissionDenied", Status.PERMISSION_DENIED],
    ["invalidArgument", Status.INVALID_ARGUMENT],
    ["unauthenticated", Status.UNAUTHENTICATED],
    ["alreadyExists", Status.ALREADY_EXISTS],
    ["failedPrecondition", Status.FAILED_PRECONDITION],
    ["resourceExhausted", Status.RESOURCE_EXHAUSTED],
    ["unimplemented", Status.UNIMPLEMENTED],
    ["internal", Status.INTERNAL],
    ["aborted", Status.ABORTED],
    ["unavailable", Status.UNAVAILABLE],
    ["deadlineExceeded", Status.DEADLINE_EXCEEDED],
  ];

  it.each(cases)("%s yields its code and the given message", async (kind, code) => {
    const error = await callError(t, kind, `custom ${kind} message`);
    expect(Status[error.code]).toBe(Status[code]);
    expect(error.details).toBe(`custom ${kind} message`);
  });

  it("uses a default message when none is given", async () => {
    const error = await callError(t, "notFound");
    expect(error.details).toBe("Not found");
  });

  it("invalidArgument sends field violations as google.rpc.BadRequest", async () => {
    const error = await callError(t, "invalidArgument", "bad input");
    expect(error).toBeInstanceOf(RichClientError);
    const details = (error as RichClientError).extra;
    const badRequest = details.find((d) => d.$type === BadRequest.$type) as BadRequest | undefined;
    expect(badRequest?.fieldViolations.map((v) => [v.field, v.description])).toEqual([
      ["email", "must contain @"],
      ["address.zip", "5 digits"],
    ]);
  });

  it("attaches google.rpc.ErrorInfo when asked", async () => {
    const error = (await callError(t, "errorInfo")) as RichClientError;
    expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
    const info = error.extra.find((d) => d.$type === ErrorInfo.$type) as ErrorInfo | undefined;
    expect(info).toMatchObject({ reason: "QUOTA_EXCEEDED", domain: "testsvc" });
    expect(info?.metadata).toEqual({ limit: "10" });
  });

  it("records the BadRequest details in the log record", async () => {
    t.sink.clear();
    await callError(t, "invalidArgument", "bad input");
    const [record] = await t.sink.waitFor(1);
    expect(record?.grpcCode).toBe(Status.INVALID_ARGUMENT);
    expect(JSON.stringify(record?.errorDetails)).toContain("address.zip");
  });
});
