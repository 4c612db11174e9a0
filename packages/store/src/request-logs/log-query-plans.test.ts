import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { insertBulkLogs } from "./testdata/bulk-logs.js";

const backends = await testBackends();
const postgresBackend = backends.find((backend) => backend.name === "postgres");

/** One node of `EXPLAIN (FORMAT JSON)`. */
interface PlanNode {
  readonly "Node Type": string;
  readonly "Relation Name"?: string;
  readonly "Index Name"?: string;
  readonly Plans?: readonly PlanNode[];
}

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

/** True when a join reads request_logs rows without aggregating them first. */
function joinsRawLogs(node: PlanNode, underJoin = false): boolean {
  if (underJoin && node["Node Type"] === "Aggregate") return false;
  if (underJoin && node["Relation Name"] === "request_logs") return true;
  const join = underJoin || /Join|Nested Loop/.test(node["Node Type"]);
  return (node.Plans ?? []).some((child) => joinsRawLogs(child, join));
}

/*
 * The plans the planner picks for a month of logs cannot be reproduced with a test-sized
 * table, so these check the shapes that stay fast at any size, on PostgreSQL only (PGlite
 * shares the planner but runs the same SQL, which log-queries.test.ts checks for results).
 */
describe.skipIf(postgresBackend?.skip !== null)("request log query plans on postgres", () => {
  let store: Store;
  const captured: { text: string; params: readonly unknown[] }[] = [];
  const service = uniqueName("plans.v1.Svc");

  async function explain(text: string, params: readonly unknown[], settings: string[] = []) {
    const pg = postgres(postgresBackend?.url ?? "", { max: 1, onnotice: () => {} });
    try {
      return await pg.begin(async (tx) => {
        for (const setting of settings) await tx.unsafe(setting);
        const rows = await tx.unsafe(`explain (format json) ${text}`, params as never[]);
        const plan = (rows[0] as unknown as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"];
        return plan[0].Plan;
      });
    } finally {
      await pg.end();
    }
  }

  /** The SQL the store runs for `run`: the last statement it sent that contains `marker`. */
  async function sqlOf(run: () => Promise<unknown>, marker: string) {
    captured.length = 0;
    await run();
    const query = captured.filter((q) => q.text.includes(marker)).at(-1);
    if (!query) throw new Error(`no statement containing ${marker}`);
    return query;
  }

  beforeAll(async () => {
    store = await postgresBackend!.open({
      onQuery: (text, params) => captured.push({ text, params }),
    });
    await insertBulkLogs(store, { service, count: 20_000, methods: 40, hours: 24 * 30 });
  });

  it("groups per-method figures without walking the (service, method) index in order", async () => {
    // Walking that index for its order reads the heap once per row at random: 56 s on a cold
    // month of 6 M rows, where a sequential scan and a sort take 13 s.
    const query = await sqlOf(() => store.requestLogs.methodStatistics({ hours: 720 }), "group by");
    const plan = await explain(query.text, query.params, ["set local enable_seqscan = off"]);
    const indexes = nodes(plan).map((node) => node["Index Name"]);
    expect(indexes).not.toContain("request_logs_service_method_created_at_idx");

    const services = await sqlOf(
      () => store.requestLogs.serviceStatistics({ hours: 720 }),
      "group by",
    );
    const servicePlan = await explain(services.text, services.params, [
      "set local enable_seqscan = off",
    ]);
    expect(nodes(servicePlan).map((node) => node["Index Name"])).not.toContain(
      "request_logs_service_method_created_at_idx",
    );
  });

  it("aggregates the timeline's calls before joining them to the buckets", async () => {
    const query = await sqlOf(
      () => store.requestLogs.timeline({ hours: 720, bucket: "day" }),
      "generate_series",
    );
    const plan = await explain(query.text, query.params);
    expect(nodes(plan).some((node) => node["Relation Name"] === "request_logs")).toBe(true);
    expect(joinsRawLogs(plan)).toBe(false);
  });

  it("finds calls of a method without its service through an index", async () => {
    // Without request_logs_method_created_at_idx a rare or misspelt method read every row.
    const query = await sqlOf(
      () => store.requestLogs.list({ method: "NoSuchMethod", limit: 10 }),
      "order by",
    );
    const plan = await explain(query.text, query.params);
    const used = nodes(plan).map((node) => node["Index Name"]);
    expect(used).toContain("request_logs_method_created_at_idx");
    expect(
      nodes(plan).some(
        (node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "request_logs",
      ),
    ).toBe(false);
  });
});
