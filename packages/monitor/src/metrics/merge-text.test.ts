import { describe, expect, it } from "vitest";
import { record } from "../testdata/monitor-fixture.js";
import { createMetrics } from "./create-metrics.js";
import { mergePrometheusText } from "./merge-text.js";

const worker = (calls: number, started: number, extra?: string) =>
  [
    "# HELP grpc_server_handled_total Total number of RPCs.",
    "# TYPE grpc_server_handled_total counter",
    `grpc_server_handled_total{grpc_method="Get",grpc_code="OK"} ${calls}`,
    ...(extra === undefined ? [] : [extra]),
    "# HELP grpc_server_handling_seconds Latency.",
    "# TYPE grpc_server_handling_seconds histogram",
    `grpc_server_handling_seconds_bucket{grpc_method="Get",le="0.1"} ${calls}`,
    `grpc_server_handling_seconds_bucket{grpc_method="Get",le="+Inf"} ${calls}`,
    `grpc_server_handling_seconds_sum{grpc_method="Get"} ${calls / 100}`,
    "# HELP process_start_time_seconds Start time.",
    "# TYPE process_start_time_seconds gauge",
    `process_start_time_seconds ${started}`,
    "",
  ].join("\n");

describe("mergePrometheusText", () => {
  it("adds the samples of each series and keeps the earliest start time", () => {
    const merged = mergePrometheusText([
      worker(3, 1_700_000_010),
      worker(
        4,
        1_700_000_000,
        'grpc_server_handled_total{grpc_method="Get",grpc_code="NotFound"} 2',
      ),
    ]);
    expect(merged).toBe(
      [
        "# HELP grpc_server_handled_total Total number of RPCs.",
        "# TYPE grpc_server_handled_total counter",
        'grpc_server_handled_total{grpc_method="Get",grpc_code="OK"} 7',
        'grpc_server_handled_total{grpc_method="Get",grpc_code="NotFound"} 2',
        "# HELP grpc_server_handling_seconds Latency.",
        "# TYPE grpc_server_handling_seconds histogram",
        'grpc_server_handling_seconds_bucket{grpc_method="Get",le="0.1"} 7',
        'grpc_server_handling_seconds_bucket{grpc_method="Get",le="+Inf"} 7',
        'grpc_server_handling_seconds_sum{grpc_method="Get"} 0.07',
        "# HELP process_start_time_seconds Start time.",
        "# TYPE process_start_time_seconds gauge",
        "process_start_time_seconds 1700000000",
        "",
      ].join("\n"),
    );
  });

  it("keeps label values with spaces and braces whole, and one text as it is", () => {
    const line = (n: number) => `# TYPE x counter\nx{path="/a b/{c}",le="+Inf"} ${n}\n`;
    expect(mergePrometheusText([line(1), line(2)])).toBe(
      '# TYPE x counter\nx{path="/a b/{c}",le="+Inf"} 3\n',
    );
    expect(mergePrometheusText([line(5)])).toBe(line(5));
  });

  it("merges what the metrics registry renders", () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    const call = record({ service: "shop.v1.CatalogService", method: "GetProduct", minutesAgo: 0 });
    const write = (metrics: typeof a) => metrics.write(call);
    write(a);
    write(a);
    write(b);
    const merged = mergePrometheusText([a.render(), b.render()]);
    expect(merged).toContain(
      'grpc_server_handled_total{grpc_type="unary",grpc_service="shop.v1.CatalogService",grpc_method="GetProduct",grpc_code="OK"} 3\n',
    );
    expect(merged.match(/^# TYPE grpc_server_handled_total counter$/gm)).toHaveLength(1);
  });
});
