import { ClientError, Metadata, ServerError, Status } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Authenticator } from "../index.js";
import { InMemoryAuthenticator } from "../index.js";
import type { TestServer } from "../testdata/support/harness.js";
import { KEYS, startTestServer, withKey } from "../testdata/support/harness.js";

type Caller = "none" | "invalid" | "plain" | "staff" | "superuser" | "permitted" | "inactive";
type Method = "whoAmI" | "echo" | "requiredCall" | "staffCall" | "superuserCall" | "permissionCall";
type Expect = "ok" | "anon" | "UNAUTHENTICATED" | "PERMISSION_DENIED";

const CALLERS: Caller[] = [
  "none",
  "invalid",
  "plain",
  "staff",
  "superuser",
  "permitted",
  "inactive",
];
const USER_ID: Record<string, number> = { plain: 1, staff: 2, superuser: 3, permitted: 4 };

// Rows: method (policy); columns: CALLERS in order.
const MATRIX: Record<Method, Expect[]> = {
  // public: never refuses; a bad or inactive credential is ignored (anonymous).
  echo: ["anon", "anon", "ok", "ok", "ok", "ok", "anon"],
  // optional: anonymous is fine, but a credential that is sent must be valid.
  whoAmI: ["anon", "UNAUTHENTICATED", "ok", "ok", "ok", "ok", "UNAUTHENTICATED"],
  requiredCall: ["UNAUTHENTICATED", "UNAUTHENTICATED", "ok", "ok", "ok", "ok", "UNAUTHENTICATED"],
  staffCall: [
    "UNAUTHENTICATED",
    "UNAUTHENTICATED",
    "PERMISSION_DENIED",
    "ok",
    "ok",
    "PERMISSION_DENIED",
    "UNAUTHENTICATED",
  ],
  superuserCall: [
    "UNAUTHENTICATED",
    "UNAUTHENTICATED",
    "PERMISSION_DENIED",
    "PERMISSION_DENIED",
    "ok",
    "PERMISSION_DENIED",
    "UNAUTHENTICATED",
  ],
  permissionCall: [
    "UNAUTHENTICATED",
    "UNAUTHENTICATED",
    "PERMISSION_DENIED",
    "PERMISSION_DENIED",
    "ok",
    "ok",
    "UNAUTHENTICATED",
  ],
};

function options(caller: Caller) {
  if (caller === "none") return {};
  if (caller === "invalid") return withKey("key-that-does-not-exist-000000");
  return withKey(KEYS[caller]);
}

async function call(
  t: TestServer,
  method: Method,
  caller: Caller,
): Promise<{ code: string; userId: number }> {
  try {
    if (method === "echo") {
      // Echo returns no user; WhoAmI-style methods do. Attribution comes from the log record.
      await t.test.echo({ message: "" }, options(caller));
      return { code: "OK", userId: -1 };
    }
    const response = await t.test[method]({}, options(caller));
    return { code: "OK", userId: response.userId };
  } catch (error) {
    if (error instanceof ClientError) return { code: Status[error.code], userId: 0 };
    throw error;
  }
}

describe("auth policy matrix", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  for (const [method, row] of Object.entries(MATRIX) as Array<[Method, Expect[]]>) {
    it.each(CALLERS.map((caller, i) => [caller, row[i] as Expect]))(
      `${method} × %s → %s`,
      async (caller, expected) => {
        t.sink.clear();
        const result = await call(t, method, caller);
        const [record] = await t.sink.waitFor(1);
        if (expected === "ok") {
          expect(result.code).toBe("OK");
          if (method !== "echo") expect(result.userId).toBe(USER_ID[caller]);
          expect(record?.userId).toBe(USER_ID[caller]);
          expect(record?.authenticated).toBe(true);
        } else if (expected === "anon") {
          expect(result.code).toBe("OK");
          if (method !== "echo") expect(result.userId).toBe(0);
          expect(record?.userId).toBeNull();
        } else {
          expect(result.code).toBe(expected);
          expect(record?.status).toBe("error");
          expect(record?.grpcCode).toBe(Status[expected]);
        }
      },
    );
  }

  it("says why a credential was refused, without echoing it", async () => {
    const secret = "key-that-does-not-exist-000000";
    const error = await t.test.requiredCall({}, withKey(secret)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).details).toBe("Invalid credential: unknown API key");
    const inactive = await t.test.requiredCall({}, withKey(KEYS.inactive)).catch((e: unknown) => e);
    expect((inactive as ClientError).details).toBe("Invalid credential: User account is inactive");
  });

  it("attributes a PERMISSION_DENIED call to the user and key in the log", async () => {
    t.sink.clear();
    await t.test.superuserCall({}, withKey(KEYS.plain)).catch(() => undefined);
    const [record] = await t.sink.waitFor(1);
    expect(record).toMatchObject({
      userId: 1,
      apiKeyId: 11,
      authMethod: "api-key",
      grpcCode: Status.PERMISSION_DENIED,
    });
  });

  it("accepts the key as authorization: Bearer", async () => {
    const response = await t.test.requiredCall(
      {},
      { metadata: Metadata({ authorization: `Bearer ${KEYS.staff}` }) },
    );
    expect(response.userId).toBe(2);
  });

  it("AuthRequiredService refuses anonymous calls and serves authenticated ones", async () => {
    const error = await t.account.me({}).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe(Status.UNAUTHENTICATED);
    const me = await t.account.me({}, withKey(KEYS.permitted));
    expect(me).toMatchObject({ userId: 4, username: "pat" });
  });
});

describe("per-call identity under concurrency", () => {
  it("220 concurrent calls with 220 different keys each see their own user", async () => {
    const keys = Array.from({ length: 220 }, (_, i) => ({
      key: `concurrent-key-${i}-0123456789`,
      user: { id: 1000 + i, username: `user${i}` },
      apiKey: { id: 5000 + i },
    }));
    const inner = new InMemoryAuthenticator(keys);
    // Random auth latency makes calls finish authentication out of order, so any identity kept
    // on a shared object (instead of the per-call context) would leak between calls.
    const jittery: Authenticator = {
      async authenticate(credential) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        return inner.authenticate(credential);
      },
    };
    const t = await startTestServer({ authenticators: [jittery] });
    try {
      const results = await Promise.all(keys.map(({ key }) => t.test.whoAmI({}, withKey(key))));
      results.forEach((response, i) => {
        expect(response.userId).toBe(1000 + i);
        expect(response.apiKeyId).toBe(5000 + i);
      });
      const records = await t.sink.waitFor(keys.length);
      const byUser = new Set(records.map((r) => `${r.userId}/${r.apiKeyId}`));
      expect(byUser.size).toBe(keys.length);
      for (const record of records) expect(record.apiKeyId! - record.userId!).toBe(4000);
    } finally {
      await t.close();
    }
  });
});

describe("an authenticator that fails or answers with its own status", () => {
  async function refusal(authenticator: Authenticator) {
    const t = await startTestServer({ authenticators: [authenticator] });
    try {
      const error = await t.test.requiredCall({}, withKey(KEYS.plain)).catch((e: unknown) => e);
      const [record] = await t.sink.waitFor(1);
      const failures = t.logLines.filter((line) => line.includes("authenticator failed"));
      return { error: error as ClientError, record, failures };
    } finally {
      await t.close();
    }
  }

  it("a backend error: UNAVAILABLE with a generic message, logged once, nothing leaked", async () => {
    const { error, record, failures } = await refusal({
      authenticate: () => Promise.reject(new Error("connect ECONNREFUSED db.internal:5432")),
    });
    expect(error).toBeInstanceOf(ClientError);
    expect(error.code).toBe(Status.UNAVAILABLE);
    expect(error.details).toBe("Authentication backend unavailable");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("db.internal");
    expect(record).toMatchObject({ grpcCode: Status.UNAVAILABLE, authenticated: false });
  });

  it("a public method goes on anonymously: nobody is refused there", async () => {
    const t = await startTestServer({
      authenticators: [{ authenticate: () => Promise.reject(new Error("JWKS unreachable")) }],
    });
    try {
      const response = await t.test.echo({ message: "hi" }, withKey(KEYS.plain));
      expect(response.message).toBe("hi");
      const [record] = await t.sink.waitFor(1);
      expect(record).toMatchObject({ grpcCode: Status.OK, authenticated: false });
      // Still logged as the backend failure it is.
      expect(t.logLines.filter((line) => line.includes("authenticator failed"))).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it("a ServerError it throws is the call's status, with its message, and not logged", async () => {
    const { error, record, failures } = await refusal({
      authenticate: () => {
        throw new ServerError(Status.UNAVAILABLE, "Too many API keys being checked; retry");
      },
    });
    expect(error.code).toBe(Status.UNAVAILABLE);
    expect(error.details).toBe("Too many API keys being checked; retry");
    expect(failures).toEqual([]);
    expect(record).toMatchObject({
      grpcCode: Status.UNAVAILABLE,
      errorMessage: "Too many API keys being checked; retry",
    });
  });
});
