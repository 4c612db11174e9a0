#!/usr/bin/env node
// Several hosts: three `grpc-cfg serve` processes, each in a network namespace of its own
// (veth pair to the root namespace, own /24) with a host name of its own (UTS namespace),
// sharing one PostgreSQL that listens only on the root side of the veths and lets the
// namespaces in by password (scram-sha-256). The client (this script) stays in the root
// namespace and reaches each server at its namespace address. Verdict: every instance is
// listed running, with its own host name and address, by every instance's /api/servers; a
// key revoked through A's REST API is refused by B and C within 2 s (measured, both had it
// cached); every call made to each instance has its row in the one request_logs table; after
// SIGTERM every instance row says stopped. SKIP when not root or namespaces cannot be made.
import { readlinkSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { echo, rawClient } from "./lib/grpc-calls.mjs";
import { runScenario, sleep, waitFor } from "./lib/harness.mjs";
import { privateCluster } from "./lib/private-cluster.mjs";
import {
  createKey,
  monitorRequest,
  prepareDatabase,
  sqlClient,
  startServe,
  stopServe,
} from "./lib/stack.mjs";
import {
  hostLauncher,
  inHost,
  removeStaleHosts,
  virtualHosts,
  virtualHostsUnsupported,
} from "./lib/virtual-hosts.mjs";

const DB = "grpc_cfg_rel_hosts";
const CALLS = 20;
// 10.231.201-203.0/24: private, and far from the usual 10.0/10.1/10.10 container ranges.
const LABELS = [
  ["a", 201],
  ["b", 202],
  ["c", 203],
];

await runScenario("multi-host", async (s) => {
  const unsupported = virtualHostsUnsupported();
  if (unsupported) s.skip(unsupported);
  const stale = removeStaleHosts();
  if (stale.length) s.log(`deleted namespaces left by killed runs: ${stale.join(", ")}`);
  const net = virtualHosts();
  s.cleanups.push(() => net.removeAll());
  // Namespaces and the cluster outlive this process, so Ctrl-C and SIGTERM run the cleanups
  // too (a SIGKILLed run's leftovers are removed by the next run: above and below).
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      s.log(`${signal}: cleaning up`);
      for (const cleanup of s.cleanups.splice(0).reverse()) {
        await (async () => cleanup())().catch(() => {});
      }
      process.exit(130);
    });
  }
  try {
    net.add(...LABELS[0]);
  } catch (error) {
    s.skip(`cannot make a network namespace with a veth pair: ${error.stderr || error}`);
  }
  for (const label of LABELS.slice(1)) net.add(...label);
  const hosts = [...net.hosts];
  s.figure(
    "hosts (namespace address / PostgreSQL address seen from it)",
    hosts.map((h) => `${h.hostName} ${h.ip} → ${h.rootIp}`),
  );

  // Only the veth addresses: nothing reaches this cluster over the root's loopback.
  const cluster = privateCluster({
    name: DB,
    port: 54330,
    listenAddresses: hosts.map((h) => h.rootIp),
    hba: hosts.map((h) => ({ address: h.cidr })),
  });
  cluster.drop(); // left over from a killed run: its pg_hba.conf may not match
  s.cleanups.push(() => cluster.drop());
  const { url, env, keys } = prepareDatabase(DB, { url: cluster.create(DB) });
  const admin = keys[0].key;
  const victim = createKey(env, "rel", "to-revoke");
  const sql = sqlClient(url);
  s.cleanups.push(() => sql.end());
  const reachable = hosts.filter((h) => {
    try {
      inHost(h, "pg_isready", ["-q", "-h", h.rootIp, "-p", String(cluster.port)]);
      return true;
    } catch {
      return false;
    }
  });
  s.check(
    "every namespace reaches PostgreSQL over its veth",
    reachable.length === hosts.length,
    `${reachable.length}/${hosts.length}`,
  );

  const servers = [];
  for (const h of hosts) {
    const dbUrl = new URL(url);
    dbUrl.hostname = h.rootIp;
    const server = await startServe({
      env: { ...env, DATABASE_URL: dbUrl.href },
      name: `instance ${h.label}`,
      launcher: hostLauncher(h),
      // The last host binds every interface, as servers on real hosts usually do: its
      // instance row must still show its own address, not 0.0.0.0.
      config: { server: { host: h === hosts.at(-1) ? "0.0.0.0" : h.ip }, monitor: { host: h.ip } },
    });
    s.cleanups.push(() => stopServe(server));
    servers.push({ ...server, host: h, calls: 0 });
  }
  s.figure(
    "gRPC / monitor per instance",
    servers.map((x) => `${x.host.ip}:${x.port} ${x.monitorUrl}`),
  );
  const rootNet = statSync("/proc/self/ns/net").ino;
  const rootUts = readlinkSync("/proc/self/ns/uts");
  s.check(
    "each server process runs in its host's network namespace and a UTS namespace of its own",
    servers.every(
      (x) =>
        statSync(`/proc/${x.pid}/ns/net`).ino === statSync(`/run/netns/${x.host.ns}`).ino &&
        statSync(`/proc/${x.pid}/ns/net`).ino !== rootNet &&
        readlinkSync(`/proc/${x.pid}/ns/uts`) !== rootUts,
    ),
  );

  const pids = servers.map((x) => x.pid);
  let listings = [];
  for (const x of servers) {
    const { body } = await monitorRequest(x.monitorUrl, "/api/servers", { key: admin });
    listings.push({ asked: x, items: (body?.items ?? []).filter((i) => pids.includes(i.pid)) });
  }
  const expected = (x) => ({ host: x.host.hostName, address: `${x.host.ip}:${x.port}` });
  s.figure(
    "/api/servers as seen by A (host, address, status)",
    listings[0].items.map((i) => [i.host, i.address, i.status]),
  );
  s.check(
    "every instance's /api/servers lists all instances running",
    listings.every(
      (l) => l.items.length === servers.length && l.items.every((i) => i.status === "running"),
    ),
    listings.map((l) => `${l.asked.host.label}: ${l.items.length}`).join(", "),
  );
  s.check(
    "each listed with its own host name and namespace address",
    listings.every((l) =>
      servers.every((x) => {
        const item = l.items.find((i) => i.pid === x.pid);
        const want = expected(x);
        return item?.host === want.host && item.address === want.address;
      }),
    ) &&
      new Set(listings[0].items.map((i) => i.host)).size === servers.length &&
      !listings[0].items.some((i) => i.host === hostname()),
  );

  const call = async (x, key) => {
    x.calls++;
    return echo(x.client, key);
  };
  for (const x of servers) {
    x.client = rawClient(x.port, {}, x.host.ip);
    s.cleanups.push(() => x.client.close());
  }
  for (let i = 0; i < CALLS; i++) await Promise.all(servers.map((x) => call(x, admin)));
  const [a, ...others] = servers;
  const warm = await Promise.all(others.map((x) => call(x, victim.key)));
  s.check(
    "key works on B and C before the revocation (now cached there)",
    warm.every((w) => w.code === 0),
    warm.map((w) => w.codeName).join(", "),
  );

  const revokedAt = performance.now();
  const revoke = await monitorRequest(a.monitorUrl, `/api/api-keys/${victim.id}/revoke`, {
    key: admin,
    method: "POST",
    body: {},
  });
  s.check("revoke through A's REST API succeeds", revoke.status === 200, `HTTP ${revoke.status}`);
  const refusals = await Promise.all(
    others.map(async (x) => {
      let last = null;
      while (performance.now() - revokedAt < 5000) {
        last = await call(x, victim.key);
        if (last.code !== 0) return { after: performance.now() - revokedAt, last };
        await sleep(10);
      }
      return { after: null, last };
    }),
  );
  s.figure(
    "revocation on A → refused by B, C (ms)",
    refusals.map((r) => (r.after === null ? "not within 5 s" : Math.round(r.after))),
  );
  s.check(
    "B and C refuse the revoked key within 2 s",
    refusals.every((r) => r.after !== null && r.after < 2000),
  );
  s.check(
    "refusals are UNAUTHENTICATED",
    refusals.every((r) => r.last?.codeName === "UNAUTHENTICATED"),
    refusals.map((r) => r.last?.codeName).join(", "),
  );
  const onA = await call(a, victim.key);
  s.check("A refuses it too", onA.codeName === "UNAUTHENTICATED", onA.codeName);

  // One place: A's monitor lists the calls every instance served, told apart by the client
  // address each instance saw (the root side of its own veth).
  const total = servers.reduce((t, x) => t + x.calls, 0);
  const page = await waitFor(
    async () => {
      const { body } = await monitorRequest(a.monitorUrl, "/api/monitor/requests?page_size=500", {
        key: admin,
      });
      return body?.total === total ? body : null;
    },
    { timeoutMs: 10_000, everyMs: 250 },
  );
  const bySubnet = Object.fromEntries(
    servers.map((x) => [
      x.host.label,
      (page?.items ?? []).filter((r) => r.clientAddress?.includes(x.host.rootIp)).length,
    ]),
  );
  s.figure("calls in A's /api/monitor/requests by client subnet", bySubnet);
  s.check(
    "A's monitor shows every call made to every instance",
    page !== null && servers.every((x) => bySubnet[x.host.label] === x.calls),
    `total ${page?.total ?? "not reached"} of ${total}`,
  );

  const codes = await Promise.all(servers.map((x) => stopServe(x)));
  s.check(
    "all instances exit 0 on SIGTERM",
    codes.every((c) => c === 0),
    codes.join(", "),
  );
  const rows = await sql`SELECT i.pid, i.host_name, i.address, i.port, i.status,
      count(l.id)::int AS n
    FROM server_instances i LEFT JOIN request_logs l ON l.server_instance_id = i.id
    GROUP BY i.id ORDER BY i.host_name`;
  s.figure(
    "instance rows after SIGTERM (host, address, status, log rows / calls made)",
    rows.map((r) => {
      const x = servers.find((y) => y.pid === r.pid);
      return `${r.host_name} ${r.address}:${r.port} ${r.status} ${r.n}/${x?.calls ?? "?"}`;
    }),
  );
  s.check(
    "every instance row says stopped",
    rows.length === servers.length && rows.every((r) => r.status === "stopped"),
  );
  s.check(
    "every call has its log row, attributed to the instance that served it",
    servers.every((x) => rows.find((r) => r.pid === x.pid)?.n === x.calls),
  );
});
