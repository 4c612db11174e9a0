#!/usr/bin/env node
// Load generator, run as its own process so it never shares an event loop with the server
// under test. Speaks raw gRPC through @grpc/grpc-js with pre-encoded protobuf bytes, so its own
// cost per call is the same whatever server it drives.
//
//   node scripts/bench/load-client.mjs --addr 127.0.0.1:50051 --path /bench.v1.EchoService/Echo \
//     [--mode unary|stream] [--concurrency 64] [--duration 5] [--warmup 1] [--header k=v]...
//     [--rate calls/s] [--deadline ms]
//
// --rate caps the calls started per second across all workers (0 = as fast as they go);
// --deadline gives every call a deadline, so a server that never answers shows up as
// DEADLINE_EXCEEDED instead of a hang.
// Prints one JSON line: { calls, errors, messages, seconds, rps, mps, p50Ms, p99Ms, codes,
// sent, sentOk, sentCodes, cpuMicros } — `sent*` count every call including warm-up and the
// tail that finishes after the measured window (what the server saw), the rest only the
// window; `cpuMicros` is the client's own CPU over the whole run.
import grpc from "@grpc/grpc-js";
import { parseArgs } from "node:util";
import { echoRequest } from "./echo-request.mjs";

const { values } = parseArgs({
  options: {
    addr: { type: "string" },
    path: { type: "string", default: "/bench.v1.EchoService/Echo" },
    mode: { type: "string", default: "unary" },
    concurrency: { type: "string", default: "64" },
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    count: { type: "string", default: "100" },
    header: { type: "string", multiple: true, default: [] },
    text: { type: "string", default: "hello" },
    rate: { type: "string", default: "0" },
    deadline: { type: "string", default: "0" },
  },
});
if (!values.addr) {
  process.stderr.write("load-client: --addr host:port is required\n");
  process.exit(2);
}
if (values.mode !== "unary" && values.mode !== "stream") {
  process.stderr.write(`load-client: --mode must be unary or stream, got ${values.mode}\n`);
  process.exit(2);
}

const request = echoRequest(values.text, values.mode === "stream" ? Number(values.count) : 0);
const identity = (b) => b;
const client = new grpc.Client(values.addr, grpc.credentials.createInsecure(), {
  "grpc.max_concurrent_streams": 1000,
});
const metadata = new grpc.Metadata();
for (const h of values.header) {
  const i = h.indexOf("=");
  metadata.set(h.slice(0, i), h.slice(i + 1));
}

const latencies = [];
const codes = {};
let calls = 0;
let errors = 0;
let messages = 0;
let recording = false;
let sent = 0;
let sentOk = 0;
const sentCodes = {};
const rate = Number(values.rate);
const deadlineMs = Number(values.deadline);
const callOptions = () => (deadlineMs > 0 ? { deadline: Date.now() + deadlineMs } : {});
// Pacing: each call takes the next start slot, 1/rate s after the previous one.
let nextSlot = 0;
async function paced() {
  if (!(rate > 0)) return;
  const now = performance.now();
  nextSlot = Math.max(nextSlot + 1000 / rate, now);
  const wait = nextSlot - now;
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
}

function unaryCall() {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    client.makeUnaryRequest(
      values.path,
      identity,
      identity,
      request,
      metadata,
      callOptions(),
      (err) => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        finish(err, ms, err ? 0 : 1);
        resolve();
      },
    );
  });
}

function streamCall() {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    let received = 0;
    const call = client.makeServerStreamRequest(
      values.path,
      identity,
      identity,
      request,
      metadata,
      callOptions(),
    );
    // grpc-js may emit both "error" and "end" for a failed call: count the call once.
    let done = false;
    const settle = (err) => {
      if (done) return;
      done = true;
      finish(err, Number(process.hrtime.bigint() - start) / 1e6, received);
      resolve();
    };
    call.on("data", () => received++);
    call.on("error", (err) => settle(err));
    call.on("end", () => settle(null));
  });
}

function finish(err, ms, msgs) {
  sent++;
  if (!err) sentOk++;
  const sentCode = err ? (grpc.status[err.code] ?? String(err.code)) : "OK";
  sentCodes[sentCode] = (sentCodes[sentCode] ?? 0) + 1;
  if (!recording) return;
  calls++;
  messages += msgs;
  const code = err ? (grpc.status[err.code] ?? String(err.code)) : "OK";
  codes[code] = (codes[code] ?? 0) + 1;
  if (err) errors++;
  else latencies.push(ms);
}

const call = values.mode === "unary" ? unaryCall : streamCall;
let stop = false;
async function worker() {
  while (!stop) {
    await paced();
    if (stop) break;
    await call();
  }
}

await new Promise((resolve, reject) =>
  client.waitForReady(Date.now() + 10_000, (err) => (err ? reject(err) : resolve())),
);
const workers = Array.from({ length: Number(values.concurrency) }, worker);
await new Promise((r) => setTimeout(r, Number(values.warmup) * 1000));
recording = true;
const t0 = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, Number(values.duration) * 1000));
recording = false;
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
stop = true;
await Promise.all(workers);
client.close();

latencies.sort((a, b) => a - b);
const pct = (p) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
const round = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
process.stdout.write(
  JSON.stringify({
    calls,
    errors,
    messages,
    seconds: round(seconds),
    rps: Math.round(calls / seconds),
    mps: Math.round(messages / seconds),
    p50Ms: round(pct(50)),
    p99Ms: round(pct(99)),
    codes,
    sent,
    sentOk,
    sentCodes,
    // The client's own CPU (whole run, warm-up included), to see who the cores went to.
    cpuMicros: (({ user, system }) => user + system)(process.cpuUsage()),
  }) + "\n",
);
