import { Status } from "nice-grpc-common";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeepPartial, ServiceContext } from "../index.js";
import type { EchoRequest, EchoResponse } from "../testdata/gen/testsvc/v1/test_service.js";
import type { TestServer } from "../testdata/support/harness.js";
import { onlyRecord, startTestServer, testServices } from "../testdata/support/harness.js";
import { TestService } from "../testdata/support/test-implementations.js";

/**
 * Echo that tries to set the call's status through metadata, as `request.message` says:
 * `raw` through ctx.header/ctx.trailer directly, `trailer:<key>` / `header:<key>` through the
 * BaseService helpers.
 */
class MetadataMeddler extends TestService {
  override async echo(
    request: EchoRequest,
    ctx: ServiceContext,
  ): Promise<DeepPartial<EchoResponse>> {
    const colon = request.message.indexOf(":");
    const how = colon < 0 ? request.message : request.message.slice(0, colon);
    const key = request.message.slice(colon + 1);
    if (how === "raw") {
      ctx.header.set("content-type", "text/evil");
      ctx.header.set("grpc-status", "5");
      ctx.header.set("x-kept-header", "yes");
      ctx.trailer.set("grpc-status", "3");
      ctx.trailer.set("grpc-message", "evil");
      ctx.trailer.set("x-kept-trailer", "yes");
    } else if (how === "trailer") {
      this.setTrailer(ctx, key, "3");
    } else if (how === "header") {
      this.setHeader(ctx, key, "x");
    }
    return { message: request.message };
  }
}

describe("handlers cannot set the call's status through response metadata", () => {
  let t: TestServer;
  beforeAll(async () => {
    const services = testServices().map((service) =>
      service.entry.fullName === "testsvc.v1.TestService"
        ? { ...service, implementation: new MetadataMeddler() }
        : service,
    );
    t = await startTestServer({ services });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sink.clear());

  it("reserved keys set on ctx.header/ctx.trailer are dropped: the client sees OK, as logged", async () => {
    let header: Record<string, string> = {};
    let trailer: Record<string, string> = {};
    const response = await t.test.echo(
      { message: "raw" },
      {
        onHeader: (h) => (header = Object.fromEntries([...h].map(([k, v]) => [k, String(v)]))),
        onTrailer: (h) => (trailer = Object.fromEntries([...h].map(([k, v]) => [k, String(v)]))),
      },
    );
    expect(response.message).toBe("raw");
    expect(header["x-kept-header"]).toBe("yes");
    expect(header["grpc-status"]).toBeUndefined();
    expect(trailer["x-kept-trailer"]).toBe("yes");
    expect(await onlyRecord(t)).toMatchObject({ status: "success", grpcCode: Status.OK });
  });

  it("the content-type a client sees is gRPC's, whatever the handler set", async () => {
    // nice-grpc's client would refuse a wrong content-type before onHeader; a grpc-js client
    // checks nothing, so read the header it got.
    let contentType: string | undefined;
    await t.test.echo(
      { message: "raw" },
      { onHeader: (h) => (contentType = h.get("content-type")) },
    );
    // grpc-js removes content-type from the metadata it hands the client: absent or gRPC's.
    expect(contentType === undefined || contentType.startsWith("application/grpc")).toBe(true);
    await onlyRecord(t);
  });

  for (const [how, key] of [
    ["trailer", "grpc-status"],
    ["trailer", "Grpc-Message"],
    ["trailer", "grpc-status-details-bin"],
    ["header", "content-type"],
    ["header", "grpc-encoding"],
    ["header", ":status"],
  ] as const) {
    it(`set${how === "trailer" ? "Trailer" : "Header"}("${key}") is refused: INTERNAL, logged alike`, async () => {
      const error = await t.test.echo({ message: `${how}:${key}` }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: Status.INTERNAL });
      const record = await onlyRecord(t);
      expect(record).toMatchObject({ status: "error", grpcCode: Status.INTERNAL });
      expect(t.logLines.join("\n")).toContain(
        `Cannot set response ${how} \\"${key}\\": reserved for gRPC itself`,
      );
    });
  }
});
