import { describe, expect, it } from "vitest";
import { record } from "../testdata/monitor-fixture.js";
import { createMetrics } from "./create-metrics.js";
import { mergePrometheusText } from "./merge-text.js";
import { labelWorkerText } from "./worker-labels.js";

describe("labelWorkerText", () => {
  it("labels every sample with the worker's slot and adds the slot's restarts", () => {
    const text = [
      "# HELP x_total Things.",
      "# TYPE x_total counter",
      'x_total{path="/a b/{c}",le="+Inf"} 3',
      "process_start_time_seconds 1700000000",
      "",
    ].join("\n");
    expect(labelWorkerText(text, { slot: 2, replacements: 5 })).toBe(
      [
        "# HELP x_total Things.",
        "# TYPE x_total counter",
        'x_total{worker="2",path="/a b/{c}",le="+Inf"} 3',
        'process_start_time_seconds{worker="2"} 1700000000',
        "# HELP grpc_cfg_worker_restarts_total Times this worker slot's process died and was replaced by the primary.",
        "# TYPE grpc_cfg_worker_restarts_total counter",
        'grpc_cfg_worker_restarts_total{worker="2"} 5',
        "",
      ].join("\n"),
    );
  });

  it("keeps two workers' series apart when their texts are merged", () => {
    const call = record({ service: "shop.v1.CatalogService", method: "GetProduct", minutesAgo: 0 });
    const texts = [3, 1].map((calls, i) => {
      const metrics = createMetrics();
      for (let n = 0; n < calls; n++) metrics.write(call);
      return labelWorkerText(metrics.render(), { slot: i + 1, replacements: i });
    });
    const merged = mergePrometheusText(texts);
    const series = (worker: number) =>
      `grpc_server_handled_total{worker="${worker}",grpc_type="unary",grpc_service="shop.v1.CatalogService",grpc_method="GetProduct",grpc_code="OK"}`;
    expect(merged).toContain(`${series(1)} 3\n`);
    expect(merged).toContain(`${series(2)} 1\n`);
    // Each process keeps its own start time, as Prometheus needs to see a worker restart.
    expect(merged.match(/^process_start_time_seconds\{worker="\d"\} /gm)).toHaveLength(2);
    expect(merged).toContain('grpc_cfg_worker_restarts_total{worker="2"} 1\n');
    expect(merged.match(/^# TYPE grpc_cfg_worker_restarts_total counter$/gm)).toHaveLength(1);
  });
});
