import { randomBytes } from "node:crypto";
import { GrpcCallError } from "@grpc-cfg/client";
import type { DynamicClient } from "@grpc-cfg/client";
import type { Probe } from "./probe-selection.js";

/** Which credential a probe call carries. */
export type CredentialKind = "key" | "none" | "secret" | "invalid";

/** One probe call as it went, keyed by the request id the log row must carry. */
export interface ProbeCall {
  readonly kind: CredentialKind;
  readonly requestId: string;
  /** gRPC status code the client saw (0 = OK). */
  readonly code: number;
  readonly codeName: string;
  /** Status message, or "" for OK. */
  readonly message: string;
}

/** Status codes by name, for readable comparisons (same numbers as grpc-js' `status`). */
export const CODE = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  UNAUTHENTICATED: 16,
} as const;

/** Codes that prove an automatically chosen probe reached its handler with `{}`. */
const HANDLER_REJECTED_EMPTY = new Set<number>([CODE.INVALID_ARGUMENT, CODE.NOT_FOUND]);

/** A key that looks like one (right prefix) but is not: must be refused, never logged as a key. */
export const INVALID_KEY = `gcfg_${"0".repeat(40)}invalid`;

/**
 * Calls the probe with each credential through the dynamic client (reflection, JSON), tagging
 * every call with its own `x-request-id` so its log row can be found.
 */
export class ProbeCaller {
  readonly #client: DynamicClient;
  readonly #probe: Probe;
  readonly #apiKeyHeader: string;
  readonly #runId = randomBytes(4).toString("hex");
  readonly #calls: ProbeCall[] = [];

  constructor(client: DynamicClient, probe: Probe, apiKeyHeader: string) {
    this.#client = client;
    this.#probe = probe;
    this.#apiKeyHeader = apiKeyHeader;
  }

  /** Every call made so far. */
  get calls(): readonly ProbeCall[] {
    return this.#calls;
  }

  /** Makes one call; a non-OK status is an outcome here, not an error. */
  async call(kind: CredentialKind, credential: string | null): Promise<ProbeCall> {
    const requestId = `grpc-cfg-it-${this.#runId}-${this.#calls.length + 1}`;
    const metadata: Record<string, string> = { "x-request-id": requestId };
    if (credential !== null) metadata[this.#apiKeyHeader] = credential;
    let call: ProbeCall;
    try {
      await this.#client.invoke(this.#probe.path, this.#probe.request, { metadata });
      call = { kind, requestId, code: CODE.OK, codeName: "OK", message: "" };
    } catch (error) {
      if (!(error instanceof GrpcCallError)) throw error;
      call = {
        kind,
        requestId,
        code: error.code,
        codeName: error.codeName,
        message: error.statusMessage,
      };
    }
    this.#calls.push(call);
    return call;
  }
}

/**
 * Checks a call that should have been let through (valid key, secret key, or an anonymous
 * call to a method that allows it); returns the report line or throws saying what went wrong.
 * For an automatically chosen probe INVALID_ARGUMENT and NOT_FOUND count too: the handler ran
 * and rejected `{}`, which proves routing, auth and the handler wiring.
 */
export function expectAdmitted(probe: Probe, call: ProbeCall): string {
  if (call.code === CODE.OK) return `${probe.name} → OK`;
  if (!probe.configured && HANDLER_REJECTED_EMPTY.has(call.code)) {
    return `${probe.name} → ${call.codeName}: ${call.message} (the handler ran and rejected {}: accepted)`;
  }
  throw new Error(
    `${probe.name} → ${call.codeName}: ${call.message}${probe.configured ? " (--probe calls must return OK)" : ""}`,
  );
}

/** Checks a call that must have been refused with UNAUTHENTICATED. */
export function expectRefused(probe: Probe, call: ProbeCall): string {
  if (call.code === CODE.UNAUTHENTICATED) {
    return `${probe.name} → UNAUTHENTICATED: ${call.message} (refused, as expected)`;
  }
  throw new Error(
    `${probe.name} → ${call.codeName}${call.message ? `: ${call.message}` : ""}; expected UNAUTHENTICATED`,
  );
}

/** True when the method refuses anonymous callers (auth other than public/optional). */
export function needsCredential(probe: Probe): boolean {
  return probe.auth !== "public" && probe.auth !== "optional";
}
