/**
 * Client (c): `buf curl` (node_modules/.bin/buf) over gRPC with HTTP/2 prior knowledge, which
 * learns the schema from the server's reflection service. Streams of requests go to stdin
 * (`-d @-`). Every call gets its own `x-request-id` and is noted in the {@link CallLedger}.
 */
import path from "node:path";
import type { CallLedger, Caller } from "./call-ledger.js";
import { runProcess } from "./processes.js";
import { REPO_ROOT } from "./shop-stack.js";

const BUF = path.join(REPO_ROOT, "node_modules/.bin/buf");

/** gRPC code numbers by the names buf prints (`invalid_argument`). */
const CODES: Readonly<Record<string, number>> = {
  canceled: 1,
  unknown: 2,
  invalid_argument: 3,
  deadline_exceeded: 4,
  not_found: 5,
  already_exists: 6,
  permission_denied: 7,
  resource_exhausted: 8,
  failed_precondition: 9,
  aborted: 10,
  out_of_range: 11,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  data_loss: 15,
  unauthenticated: 16,
};

/** The error buf prints on stderr for a failed call. */
export interface BufCurlError {
  readonly code: string;
  readonly message: string;
  readonly details?: { readonly type: string; readonly value: string }[];
}

/** One buf curl run. */
export interface BufCurlResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Response messages printed on stdout, in order. */
  readonly messages: Record<string, unknown>[];
  readonly error: BufCurlError | null;
}

/** What to call: one request (`data`) or a stream of them (`stream`, sent through stdin). */
export interface BufCurlCall {
  readonly address: string;
  /** `pkg.Service/Method`. */
  readonly method: string;
  readonly caller: Caller;
  readonly data?: unknown;
  readonly stream?: readonly unknown[];
}

/** Runs buf curl and records the call in `ledger` (buf's reflection requests are not recorded). */
export async function bufCurl(ledger: CallLedger, call: BufCurlCall): Promise<BufCurlResult> {
  const requestId = ledger.nextRequestId();
  const headers = { "x-request-id": requestId, ...call.caller.metadata };
  const args = ["curl", "--protocol", "grpc", "--http2-prior-knowledge"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  args.push("-d", call.stream ? "@-" : JSON.stringify(call.data ?? {}));
  args.push(`http://${call.address}/${call.method}`);
  const result = await runProcess(BUF, args, {
    cwd: REPO_ROOT,
    ...(call.stream ? { input: call.stream.map((m) => JSON.stringify(m)).join("\n") } : {}),
    timeoutMs: 60_000,
  });
  const error = result.exitCode === 0 ? null : parseError(result.stderr);
  const code = error ? (CODES[error.code] ?? -1) : 0;
  ledger.record({ requestId, path: `/${call.method}`, code, caller: call.caller });
  return { ...result, messages: splitJsonObjects(result.stdout), error };
}

function parseError(stderr: string): BufCurlError {
  const start = stderr.indexOf("{");
  try {
    return JSON.parse(stderr.slice(start)) as BufCurlError;
  } catch {
    throw new Error(`buf curl failed without a JSON error:\n${stderr}`);
  }
}

/** Splits buf's output (pretty-printed JSON objects one after another) into objects. */
export function splitJsonObjects(text: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") {
      if (depth === 0) start = i;
      depth += 1;
    } else if (char === "}") {
      depth -= 1;
      if (depth === 0)
        objects.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
    }
  }
  return objects;
}
