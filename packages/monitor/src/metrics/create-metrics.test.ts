import type { RequestLogRecord } from "@grpc-cfg/runtime";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./create-metrics.js";

function record(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  const startedAt = new Date("2025-01-01T00:00:00Z");
  return {
    requestId: "r1",
    service: "shop.v1.UserService",
    method: "GetUser",
    path: "/shop.v1.UserService/GetUser",
    callKind: "unary",
    status: "success",
    grpcCode: 0,
    errorMessage: null,
    errorDetails: null,
    durationMs: 12,
    userId: null,
    apiKeyId: null,
    authenticated: false,
    authMethod: null,
    clientAddress: null,
    requestMessages: 1,
    responseMessages: 1,
    startedAt,
    completedAt: startedAt,
    ...overrides,
  };
}

/** Value of the one sample line that starts with `prefix`. */
function sample(text: string, prefix: string): number {
  const lines = text.split("\n").filter((l) => l.startsWith(prefix));
  expect(lines, `exactly one line starting with ${prefix}`).toHaveLength(1);
  return Number(lines[0]!.slice(lines[0]!.lastIndexOf(" ") + 1));
}

describe("createMetrics", () => {
  it("counts finished calls per service, method and gRPC code name", () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.write(record());
    metrics.write(record());
    metrics.write(record({ grpcCode: 5, status: "error" }));
    const text = metrics.render();
    const labels = 'grpc_type="unary",grpc_service="shop.v1.UserService",grpc_method="GetUser"';
    expect(sample(text, `grpc_server_handled_total{${labels},grpc_code="OK"}`)).toBe(2);
    expect(sample(text, `grpc_server_handled_total{${labels},grpc_code="NotFound"}`)).toBe(1);
    expect(text).toContain("# TYPE grpc_server_handled_total counter");
  });

  it("renders a cumulative latency histogram in seconds", () => {
    const metrics = createMetrics({ processMetrics: false, buckets: [0.01, 0.1, 1] });
    for (const durationMs of [5, 50, 50, 500, 5000]) metrics.write(record({ durationMs }));
    const text = metrics.render();
    const l = 'grpc_type="unary",grpc_service="shop.v1.UserService",grpc_method="GetUser"';
    expect(sample(text, `grpc_server_handling_seconds_bucket{${l},le="0.01"}`)).toBe(1);
    expect(sample(text, `grpc_server_handling_seconds_bucket{${l},le="0.1"}`)).toBe(3);
    expect(sample(text, `grpc_server_handling_seconds_bucket{${l},le="1"}`)).toBe(4);
    expect(sample(text, `grpc_server_handling_seconds_bucket{${l},le="+Inf"}`)).toBe(5);
    expect(sample(text, `grpc_server_handling_seconds_count{${l}}`)).toBe(5);
    expect(sample(text, `grpc_server_handling_seconds_sum{${l}}`)).toBeCloseTo(5.605, 6);
  });

  it("labels stream kinds the way go-grpc-prometheus does and counts messages", () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.write(
      record({ callKind: "bidi", method: "Chat", requestMessages: 3, responseMessages: 4 }),
    );
    const text = metrics.render();
    const l = 'grpc_type="bidi_stream",grpc_service="shop.v1.UserService",grpc_method="Chat"';
    expect(sample(text, `grpc_server_msg_received_total{${l}}`)).toBe(3);
    expect(sample(text, `grpc_server_msg_sent_total{${l}}`)).toBe(4);
  });

  it("labels a call to a method the server does not serve as grpc_type unknown", () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.write(
      record({ callKind: "unknown", service: "nope.v1.Ghost", method: "Boo", grpcCode: 12 }),
    );
    const l = 'grpc_type="unknown",grpc_service="nope.v1.Ghost",grpc_method="Boo"';
    expect(
      sample(metrics.render(), `grpc_server_handled_total{${l},grpc_code="Unimplemented"}`),
    ).toBe(1);
  });

  it("escapes label values a client controls", () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.write(record({ method: 'Evil"\n\\x' }));
    expect(metrics.render()).toContain('grpc_method="Evil\\"\\n\\\\x"');
  });

  it("caps the number of series so made-up paths cannot exhaust memory", () => {
    const metrics = createMetrics({ processMetrics: false, maxSeries: 3 });
    for (let i = 0; i < 10; i++) metrics.write(record({ method: `M${i}` }));
    const text = metrics.render();
    expect(text.split("\n").filter((l) => l.startsWith("grpc_server_handled_total{"))).toHaveLength(
      3,
    );
    // 7 refused label sets × 4 metric families
    expect(sample(text, "grpc_cfg_metrics_series_overflow_total")).toBe(28);
  });

  it("reads the log queue and key cache gauges from attached sources", () => {
    const metrics = createMetrics({ processMetrics: false });
    expect(metrics.render()).not.toContain("grpc_cfg_log_queue_depth");
    metrics.attach({
      logSink: () => ({ queued: 7, dropped: 2, written: 40 }),
      keyCache: () => ({ hits: 90, misses: 10, shed: 3 }),
      unhandledRejections: () => 4,
    });
    const text = metrics.render();
    expect(sample(text, "grpc_cfg_unhandled_rejections_total")).toBe(4);
    expect(sample(text, "grpc_cfg_log_queue_depth")).toBe(7);
    expect(sample(text, "grpc_cfg_log_dropped_total")).toBe(2);
    expect(sample(text, "grpc_cfg_key_cache_hits_total")).toBe(90);
    expect(sample(text, "grpc_cfg_key_cache_misses_total")).toBe(10);
    expect(sample(text, "grpc_cfg_key_lookups_shed_total")).toBe(3);
  });

  it("leaves out a source that throws instead of failing the scrape", () => {
    const metrics = createMetrics({
      processMetrics: false,
      sources: {
        logSink: () => {
          throw new Error("boom");
        },
      },
    });
    expect(() => metrics.render()).not.toThrow();
    expect(metrics.render()).not.toContain("grpc_cfg_log_queue_depth");
  });

  it("includes process metrics by default", () => {
    const text = createMetrics().render();
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });
});
