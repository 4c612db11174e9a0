import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import type { ServerMethodDefinition } from "@grpc/grpc-js";
import { createChannel, createClient, createServer } from "nice-grpc";
import type { ServiceImplementation } from "nice-grpc";
import { Metadata } from "nice-grpc-common";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";
import { startTestServer, withKey, KEYS } from "../testdata/support/harness.js";
import { CALL_TOKEN_METADATA_KEY, CallOutcomes } from "./call-outcome.js";
import type { CallOutcome } from "./call-outcome.js";

describe("the interceptor's wrappers on grpc-js's call prototype", () => {
  it("leave a server without our interceptor in the same process untouched", async () => {
    // Our server first: its first call wraps grpc-js's call prototype.
    const ours = await startTestServer();
    let ourHeader: string | undefined;
    await ours.test.echo(
      { message: "ours" },
      { ...withKey(KEYS.plain), onHeader: (h) => (ourHeader = h.get("x-request-id")) },
    );
    expect(ourHeader).toMatch(/^[0-9a-f-]{36}$/);

    const bare = createServer();
    const implementation: Partial<ServiceImplementation<TestServiceDefinition>> = {
      async echo(request) {
        return { message: request.message, requestId: "" };
      },
      async *repeat(request) {
        for (let i = 0; i < request.count; i++) yield { message: `${i}`, requestId: "" };
      },
    };
    // nice-grpc wants every method; the ones this test does not call just fail.
    const everyMethod = new Proxy(implementation, {
      get: (target, name: string) =>
        target[name as keyof typeof target] ??
        (() => Promise.reject(new Error(`${name}: not in this test`))),
    });
    bare.add(TestServiceDefinition, everyMethod as ServiceImplementation<TestServiceDefinition>);
    const port = await bare.listen("127.0.0.1:0");
    const channel = createChannel(`127.0.0.1:${port}`);
    try {
      const client = createClient(TestServiceDefinition, channel);
      let header: string | undefined = "unset";
      const response = await client.echo(
        { message: "bare" },
        { onHeader: (h) => (header = h.get("x-request-id")) },
      );
      expect(response.message).toBe("bare");
      expect(header).toBeUndefined();
      const streamed: string[] = [];
      for await (const r of client.repeat({ message: "", count: 3 })) streamed.push(r.message);
      expect(streamed).toEqual(["0", "1", "2"]);
    } finally {
      channel.close();
      await bare.shutdown();
      await ours.close();
    }
  });
});

/** A stand-in for grpc-js's innermost call: the four methods the interceptor wraps. */
class FakeCall {
  readonly sent: string[] = [];
  listener: { onReceiveMetadata(m: GrpcMetadata): void; onCancel(): void } | null = null;
  start(listener: FakeCall["listener"]): void {
    this.listener = listener;
  }
  sendMetadata(): void {
    this.sent.push("metadata");
  }
  sendMessage(_message: unknown, callback: () => void): void {
    this.sent.push("message");
    callback();
  }
  sendStatus(status: { code: number }): void {
    this.sent.push(`status ${status.code}`);
  }
  getDeadline(): number {
    return Infinity;
  }
  getPeer(): string {
    return "ipv4:192.0.2.7:5000";
  }
}

const UNARY = {
  path: "/a.v1.Svc/Do",
  requestStream: false,
  responseStream: false,
} as ServerMethodDefinition<unknown, unknown>;

describe("CallOutcomes: calls the pipeline never saw", () => {
  it("reports a call grpc-js answered itself once; a late claim finds it preempted", () => {
    const outcomes = new CallOutcomes();
    const reported: {
      path: string;
      requestId: string;
      peer: string | null;
      code: number | null;
    }[] = [];
    outcomes.onUnhandled((call, outcome) =>
      reported.push({
        path: call.path,
        requestId: call.requestId,
        peer: call.peer,
        code: outcome.code,
      }),
    );
    const call = outcomes.interceptor(UNARY, new FakeCall() as never) as unknown as FakeCall;
    call.start({ onReceiveMetadata: vi.fn(), onCancel: vi.fn() });
    const metadata = new GrpcMetadata();
    metadata.set("x-request-id", "req-7");
    call.listener!.onReceiveMetadata(metadata);
    const token = metadata.get(CALL_TOKEN_METADATA_KEY)[0] as string;
    call.sendStatus({ code: 8 });
    call.listener!.onCancel();
    expect(reported).toEqual([
      { path: "/a.v1.Svc/Do", requestId: "req-7", peer: "ipv4:192.0.2.7:5000", code: 8 },
    ]);
    // grpc-js may still start the handler: its run must not write a second record.
    const late = outcomes.claim({ metadata: Metadata({ [CALL_TOKEN_METADATA_KEY]: token }) });
    expect(late?.preempted).toBe(true);
  });

  it("does not report a call the pipeline has seen, pinned or claimed", () => {
    const outcomes = new CallOutcomes();
    const reported = vi.fn();
    outcomes.onUnhandled(reported);
    for (const see of ["pin", "claim"] as const) {
      const call = outcomes.interceptor(UNARY, new FakeCall() as never) as unknown as FakeCall;
      call.start({ onReceiveMetadata: vi.fn(), onCancel: vi.fn() });
      const metadata = new GrpcMetadata();
      call.listener!.onReceiveMetadata(metadata);
      const token = metadata.get(CALL_TOKEN_METADATA_KEY)[0] as string;
      const context = {
        metadata: Metadata({ [CALL_TOKEN_METADATA_KEY]: token }),
        signal: new AbortController().signal,
      };
      if (see === "pin") outcomes.pin(context as never);
      else expect(outcomes.claim(context)?.preempted).toBe(false);
      call.listener!.onCancel();
    }
    expect(reported).not.toHaveBeenCalled();
  });
});

describe("CallOutcomes fallback", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("settles a call whose status went out but whose end grpc-js never reported", () => {
    vi.useFakeTimers();
    const outcomes = new CallOutcomes();
    const call = outcomes.interceptor(
      {} as ServerMethodDefinition<unknown, unknown>,
      new FakeCall() as never,
    ) as unknown as FakeCall;
    const inner = { onReceiveMetadata: vi.fn(), onCancel: vi.fn() };
    call.start(inner);
    const metadata = new GrpcMetadata();
    call.listener!.onReceiveMetadata(metadata);
    const token = metadata.get(CALL_TOKEN_METADATA_KEY)[0] as string;

    const claimed = outcomes.claim({ metadata: Metadata({ [CALL_TOKEN_METADATA_KEY]: token }) });
    expect(claimed?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const ended: CallOutcome[] = [];
    claimed!.whenEnded({ wireEnded: (outcome) => ended.push(outcome) });

    call.sendStatus({ code: 0 });
    // The request id goes out in a header before a status that had none.
    expect(call.sent).toEqual(["metadata", "status 0"]);
    vi.advanceTimersByTime(4_000);
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(7_000);
    expect(ended).toEqual([{ cancelled: false, deadlineExceeded: false, code: 0, details: "" }]);

    // A late report of the end changes nothing: the first answer wins.
    call.listener!.onCancel();
    expect(ended).toHaveLength(1);
    expect(inner.onCancel).toHaveBeenCalledOnce();
    // Nothing left to settle: the sweep stops.
    vi.advanceTimersByTime(5_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not wait on a call that was cancelled before its status went out", () => {
    vi.useFakeTimers();
    const outcomes = new CallOutcomes();
    const call = outcomes.interceptor(
      {} as ServerMethodDefinition<unknown, unknown>,
      new FakeCall() as never,
    ) as unknown as FakeCall;
    call.start({ onReceiveMetadata: vi.fn(), onCancel: vi.fn() });
    call.listener!.onReceiveMetadata(new GrpcMetadata());
    call.listener!.onCancel();
    call.sendStatus({ code: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });
});
