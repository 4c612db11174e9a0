// A client-streaming or bidi call that ends without the client finishing its input (a cancel,
// a deadline, a lost connection) must not look to the handler like the end of its input:
// its loop over the requests throws, its signal fires, and the call is logged as cancelled
// or timed out, never as a success.
import * as grpc from "@grpc/grpc-js";
import { Status } from "nice-grpc-common";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServiceContext } from "../index.js";
import { EchoRequest, EchoResponse } from "../testdata/gen/testsvc/v1/test_service.js";
import type { TestServer } from "../testdata/support/harness.js";
import { onlyRecord, startTestServer, testServices } from "../testdata/support/harness.js";
import { openRawGrpcStream } from "../testdata/support/raw-grpc-stream.js";
import { TestService } from "../testdata/support/test-implementations.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How a handler's loop over its requests ended. */
interface LoopEnd {
  readonly method: "collect" | "chat";
  /** "ended" (normally), or "threw <error name>". */
  readonly how: string;
  readonly read: number;
  readonly signalAborted: boolean;
}

/** The test service, recording how its streaming handlers' loops end. */
class RecordingService extends TestService {
  readonly ends: LoopEnd[] = [];
  /** Time each handler spends on one message (a handler writing each to a database). */
  perMessageMs = 0;

  override async collect(requests: AsyncIterable<EchoRequest>, ctx: ServiceContext) {
    let read = 0;
    try {
      for await (const _ of requests) {
        read++;
        if (this.perMessageMs > 0) await sleep(this.perMessageMs);
      }
    } catch (error) {
      this.#end("collect", `threw ${(error as Error).name}`, read, ctx);
      throw error;
    }
    this.#end("collect", "ended", read, ctx);
    return { message: `got ${read}` };
  }

  override async *chat(requests: AsyncIterable<EchoRequest>, ctx: ServiceContext) {
    let read = 0;
    // Left as is when nice-grpc closes the generator at a `yield` (the client is gone).
    let how = "closed";
    try {
      for await (const request of requests) {
        read++;
        if (this.perMessageMs > 0) await sleep(this.perMessageMs);
        yield { message: request.message };
      }
      how = "ended";
    } catch (error) {
      how = `threw ${(error as Error).name}`;
      throw error;
    } finally {
      this.#end("chat", how, read, ctx);
    }
    yield { message: `bye after ${read}` };
  }

  #end(method: LoopEnd["method"], how: string, read: number, ctx: ServiceContext): void {
    this.ends.push({ method, how, read, signalAborted: ctx.signal.aborted });
  }

  async loopEnd(): Promise<LoopEnd> {
    for (let i = 0; i < 250 && this.ends.length === 0; i++) await sleep(20);
    expect(this.ends).toHaveLength(1);
    return this.ends[0] as LoopEnd;
  }
}

const encode = (message: string) => EchoRequest.encode({ message }).finish();
const serialize = (request: EchoRequest) => Buffer.from(EchoRequest.encode(request).finish());
const deserialize = (bytes: Buffer) => EchoResponse.decode(bytes);
const COLLECT = "/testsvc.v1.TestService/Collect";
const CHAT = "/testsvc.v1.TestService/Chat";

describe("request streams that end with the call", () => {
  let t: TestServer;
  let service: RecordingService;
  let client: grpc.Client;
  beforeAll(async () => {
    service = new RecordingService();
    const services = testServices();
    services[0] = { ...services[0]!, implementation: service };
    t = await startTestServer({ services });
    client = new grpc.Client(`127.0.0.1:${t.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await t.close();
  });
  beforeEach(() => {
    t.sink.clear();
    service.ends.length = 0;
    service.perMessageMs = 0;
  });

  /** Gives the server time to receive and the handler to read what was sent. */
  const settle = () => sleep(150);

  it("client stream reset by the client (RST_STREAM, as grpc-go/java send): the loop throws", async () => {
    const call = await openRawGrpcStream(t.port, COLLECT);
    for (const text of ["a", "b", "c"]) call.send(encode(text));
    await settle();
    call.reset();
    const end = await service.loopEnd();
    call.close();
    expect(end).toEqual({
      method: "collect",
      how: "threw AbortError",
      read: 3,
      signalAborted: true,
    });
    expect(await onlyRecord(t)).toMatchObject({
      callKind: "client-stream",
      status: "cancelled",
      grpcCode: Status.CANCELLED,
      errorMessage: "Cancelled by client",
      requestMessages: 3,
      responseMessages: 0,
    });
    expect(t.logLines.join("\n")).not.toContain("unhandled error");
  });

  it("bidi stream reset by the client: the loop throws, nothing after it runs", async () => {
    const call = await openRawGrpcStream(t.port, CHAT);
    for (const text of ["a", "b"]) call.send(encode(text));
    await settle();
    call.reset();
    const end = await service.loopEnd();
    call.close();
    expect(end).toEqual({ method: "chat", how: "threw AbortError", read: 2, signalAborted: true });
    expect(await onlyRecord(t)).toMatchObject({
      callKind: "bidi",
      status: "cancelled",
      errorMessage: "Cancelled by client",
      requestMessages: 2,
      responseMessages: 2,
    });
  });

  it("a client whose connection drops mid-stream: the loop throws", async () => {
    const call = await openRawGrpcStream(t.port, COLLECT);
    for (const text of ["a", "b"]) call.send(encode(text));
    await settle();
    call.close();
    const end = await service.loopEnd();
    expect(end).toMatchObject({ how: "threw AbortError", read: 2, signalAborted: true });
    expect(await onlyRecord(t)).toMatchObject({ status: "cancelled", requestMessages: 2 });
  });

  it("a half-close stays a normal end of input (frame-level client)", async () => {
    const call = await openRawGrpcStream(t.port, COLLECT);
    for (const text of ["a", "b", "c"]) call.send(encode(text));
    call.halfClose();
    const end = await service.loopEnd();
    expect(end).toEqual({ method: "collect", how: "ended", read: 3, signalAborted: false });
    expect(await onlyRecord(t)).toMatchObject({
      status: "success",
      requestMessages: 3,
      responseMessages: 1,
    });
    call.close();
  });

  it("a half-close stays a normal end of input (grpc-js client stream and bidi)", async () => {
    const response = await new Promise<EchoResponse>((resolve, reject) => {
      const call = client.makeClientStreamRequest(COLLECT, serialize, deserialize, (e, r) =>
        e ? reject(e) : resolve(r as EchoResponse),
      );
      for (const message of ["a", "b"]) call.write({ message });
      call.end();
    });
    expect(response.message).toBe("got 2");
    expect(await service.loopEnd()).toMatchObject({ how: "ended", signalAborted: false });
    expect(await onlyRecord(t)).toMatchObject({ status: "success", requestMessages: 2 });

    t.sink.clear();
    service.ends.length = 0;
    const replies: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const call = client.makeBidiStreamRequest(CHAT, serialize, deserialize);
      call.on("data", (reply: EchoResponse) => replies.push(reply.message));
      call.on("error", reject);
      call.on("status", () => resolve());
      for (const message of ["a", "b"]) call.write({ message });
      call.end();
    });
    expect(replies).toEqual(["a", "b", "bye after 2"]);
    expect(await onlyRecord(t)).toMatchObject({
      status: "success",
      requestMessages: 2,
      responseMessages: 3,
    });
  });

  it("deadline passing mid-stream (grpc-js client stream): the loop throws, the row says timeout", async () => {
    let writing = true;
    const status = new Promise<grpc.ServiceError | null>((resolve) => {
      const call = client.makeClientStreamRequest(
        COLLECT,
        serialize,
        deserialize,
        new grpc.Metadata(),
        { deadline: new Date(Date.now() + 300) },
        (error) => resolve(error),
      );
      void (async () => {
        for (let i = 0; writing && i < 100; i++) {
          call.write({ message: `m${i}` });
          await sleep(20);
        }
      })();
    });
    expect((await status)?.code).toBe(Status.DEADLINE_EXCEEDED);
    writing = false;
    const end = await service.loopEnd();
    expect(end).toMatchObject({ how: "threw AbortError", signalAborted: true });
    expect(end.read).toBeGreaterThan(3);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({
      status: "timeout",
      grpcCode: Status.DEADLINE_EXCEEDED,
      responseMessages: 0,
    });
    expect(record.requestMessages).toBeGreaterThanOrEqual(end.read);
  });

  it("deadline passing mid-stream (grpc-js bidi): the loop throws, the row says timeout", async () => {
    let writing = true;
    let replies = 0;
    const error = await new Promise<grpc.ServiceError>((resolve) => {
      const call = client.makeBidiStreamRequest(CHAT, serialize, deserialize, new grpc.Metadata(), {
        deadline: new Date(Date.now() + 300),
      });
      call.on("data", () => replies++);
      call.on("error", resolve);
      void (async () => {
        for (let i = 0; writing && i < 100; i++) {
          call.write({ message: `m${i}` });
          await sleep(20);
        }
      })();
    });
    writing = false;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    const end = await service.loopEnd();
    expect(end).toMatchObject({ method: "chat", how: "threw AbortError", signalAborted: true });
    const record = await onlyRecord(t);
    expect(record).toMatchObject({ status: "timeout", grpcCode: Status.DEADLINE_EXCEEDED });
    expect(record.responseMessages).toBeGreaterThanOrEqual(replies);
    expect(record.responseMessages).toBeLessThanOrEqual(end.read);
  });

  it("grpc-js client cancel while the handler works through its input: the loop throws", async () => {
    service.perMessageMs = 40;
    const status = new Promise<grpc.ServiceError | null>((resolve) => {
      const call = client.makeClientStreamRequest(COLLECT, serialize, deserialize, (e) =>
        resolve(e),
      );
      for (let i = 0; i < 5; i++) call.write({ message: `m${i}` });
      setTimeout(() => call.cancel(), 60);
    });
    expect((await status)?.code).toBe(Status.CANCELLED);
    const end = await service.loopEnd();
    expect(end).toMatchObject({ how: "threw AbortError", signalAborted: true });
    expect(end.read).toBeLessThan(5);
    expect(await onlyRecord(t)).toMatchObject({
      status: "cancelled",
      errorMessage: "Cancelled by client",
      requestMessages: 5,
    });
  });

  it("nice-grpc client abort of a client stream while the handler is busy: the loop throws", async () => {
    service.perMessageMs = 40;
    const controller = new AbortController();
    async function* input() {
      for (let i = 0; i < 5; i++) yield { message: `m${i}` };
      await sleep(5_000);
    }
    setTimeout(() => controller.abort(), 60);
    const error = await t.test.collect(input(), { signal: controller.signal }).catch((e) => e);
    expect((error as Error).name).toBe("AbortError");
    const end = await service.loopEnd();
    expect(end).toMatchObject({ how: "threw AbortError", signalAborted: true });
    expect(end.read).toBeLessThan(5);
    expect(await onlyRecord(t)).toMatchObject({ status: "cancelled", callKind: "client-stream" });
  });

  it("nice-grpc client abort of a bidi stream while the handler is busy: it stops in its loop", async () => {
    service.perMessageMs = 40;
    const controller = new AbortController();
    async function* input() {
      for (let i = 0; i < 5; i++) yield { message: `m${i}` };
      await sleep(5_000);
    }
    const replies: string[] = [];
    const outcome = (async () => {
      for await (const reply of t.test.chat(input(), { signal: controller.signal })) {
        replies.push(reply.message);
        if (replies.length === 1) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(((await outcome) as Error).name).toBe("AbortError");
    const end = await service.loopEnd();
    // Stopped reading or writing, whichever it was doing; never past its loop.
    expect(["threw AbortError", "closed"]).toContain(end.how);
    expect(end).toMatchObject({ method: "chat", signalAborted: true });
    expect(end.read).toBeLessThan(5);
    expect(await onlyRecord(t)).toMatchObject({ status: "cancelled", callKind: "bidi" });
  });
});
