import { Metadata, ServerError, Status } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import type { Credential } from "../contracts/identity.js";
import type { MethodPolicy } from "../contracts/method-table.js";
import { createSilentLogger } from "../logging/logger.js";
import { InMemoryAuthenticator } from "../testing/in-memory-authenticator.js";
import type { FailureLimitOptions } from "./auth-failure-limit.js";
import { createCallAuthenticator } from "./authentication.js";
import type { CallState, RouteInfo } from "./call-state.js";

const GOOD = "good-key-0123456789";

/** The in-memory authenticator, counting how often it is asked. */
class CountingAuthenticator extends InMemoryAuthenticator {
  checks = 0;
  override authenticate(credential: Credential): ReturnType<InMemoryAuthenticator["authenticate"]> {
    this.checks += 1;
    return super.authenticate(credential);
  }
}

function policy(auth: MethodPolicy["auth"]): RouteInfo {
  const method: MethodPolicy = {
    name: "Call",
    path: "/t.v1.S/Call",
    definitionKey: "call",
    handler: "call",
    callKind: "unary",
    auth,
    staffOnly: false,
    superuserOnly: false,
    permission: null,
    readOnly: false,
  };
  return { policy: method, service: "t.v1.S", baseKind: "base" };
}

function setup(failureLimit?: FailureLimitOptions) {
  const authenticator = new CountingAuthenticator([
    { key: GOOD, user: { id: 1, username: "ada" } },
  ]);
  const authenticate = createCallAuthenticator({
    authenticators: [authenticator],
    logger: createSilentLogger(),
    ...(failureLimit ? { failureLimit } : {}),
  });
  /** Calls a method with `key` from `address`; the gRPC code (0: OK) and the user. */
  const call = async (key: string, address: string, auth: MethodPolicy["auth"] = "required") => {
    const state = { clientAddress: address, identity: null } as unknown as CallState;
    const context = { metadata: Metadata({ "x-api-key": key }) };
    try {
      const identity = await authenticate(policy(auth), context, "/t.v1.S/Call", "r", state);
      return { code: Status.OK, user: identity?.user.username ?? null };
    } catch (error) {
      if (!(error instanceof ServerError)) throw error;
      return { code: error.code, user: null };
    }
  };
  return { authenticator, call };
}

const LIMIT = { maxFailures: 3, windowMs: 10_000, blockMs: 200 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("per-address limit on failed credentials", () => {
  it("refuses an address's credentials unchecked once it failed maxFailures times", async () => {
    const { authenticator, call } = setup(LIMIT);
    for (let i = 0; i < 3; i += 1) {
      expect((await call(`bad-${i}`, "203.0.113.5")).code).toBe(Status.UNAUTHENTICATED);
    }
    const checks = authenticator.checks;
    expect((await call(GOOD, "203.0.113.5")).code).toBe(Status.RESOURCE_EXHAUSTED);
    expect((await call("bad-again", "203.0.113.5")).code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(authenticator.checks).toBe(checks);
    // A public method refuses nobody: the blocked address calls it anonymously.
    expect(await call(GOOD, "203.0.113.5", "public")).toEqual({ code: Status.OK, user: null });
    // Other addresses are not affected.
    expect(await call(GOOD, "198.51.100.7")).toEqual({ code: Status.OK, user: "ada" });
  });

  it("lifts the block after blockMs", async () => {
    const { call } = setup(LIMIT);
    for (let i = 0; i < 3; i += 1) await call(`bad-${i}`, "203.0.113.9");
    expect((await call(GOOD, "203.0.113.9")).code).toBe(Status.RESOURCE_EXHAUSTED);
    await sleep(LIMIT.blockMs + 50);
    expect(await call(GOOD, "203.0.113.9")).toEqual({ code: Status.OK, user: "ada" });
  });

  it("counts failures in a window: fewer than maxFailures per window never block", async () => {
    const { call } = setup({ ...LIMIT, windowMs: 50 });
    for (let round = 0; round < 3; round += 1) {
      await call("bad-a", "203.0.113.20");
      await call("bad-b", "203.0.113.20");
      await sleep(70);
    }
    expect(await call(GOOD, "203.0.113.20")).toEqual({ code: Status.OK, user: "ada" });
  });

  it("never limits loopback addresses, nor anyone when no limit is set", async () => {
    const limited = setup(LIMIT);
    const unlimited = setup();
    for (let i = 0; i < 10; i += 1) {
      expect((await limited.call(`bad-${i}`, "127.0.0.1")).code).toBe(Status.UNAUTHENTICATED);
      expect((await limited.call(`bad-${i}`, "::1")).code).toBe(Status.UNAUTHENTICATED);
      expect((await unlimited.call(`bad-${i}`, "203.0.113.5")).code).toBe(Status.UNAUTHENTICATED);
    }
    expect((await limited.call(GOOD, "127.0.0.1")).code).toBe(Status.OK);
    expect((await unlimited.call(GOOD, "203.0.113.5")).code).toBe(Status.OK);
  });
});
