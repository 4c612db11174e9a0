import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testTempDir } from "../../../../tests/support/temp-dir.js";
import { openStore, silentLogger, StoreError } from "../index.js";
import { testBackends } from "../testdata/backends.js";
import { lockDataDir } from "./pglite-lock.js";

const postgres = (await testBackends()).find((backend) => backend.name === "postgres");

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe("connection errors", () => {
  it("names host and port of an unreachable server, never the password", async () => {
    const error = await failure(
      openStore({ url: "postgres://app:Sup3rS3cret@127.0.0.1:1/appdb", logger: silentLogger }),
    );
    expect(error.code).toBe("connection-failed");
    expect(error.message).toContain("127.0.0.1:1");
    expect(error.message).toContain('database "appdb"');
    expect(error.message).not.toContain("Sup3rS3cret");
    expect(String(error.stack)).not.toContain("Sup3rS3cret");
  });

  it("names an IPv6 host in brackets, as the URL writes it", async () => {
    const error = await failure(
      openStore({ url: "postgres://app:Sup3rS3cret@[::1]:1/appdb", logger: silentLogger }),
    );
    expect(error.code).toBe("connection-failed");
    // Refused by ::1 itself: postgres.js was given the address whole, not cut at a colon.
    expect(error.message).toBe(
      'cannot connect to PostgreSQL at [::1]:1 (database "appdb", user "app"): ' +
        "connect ECONNREFUSED [::1]:1",
    );
  });

  it("rejects malformed URLs without echoing them", async () => {
    const bad = await failure(
      openStore({ url: "postgres://app:Sup3rS3cret@[not-a-host", logger: silentLogger }),
    );
    expect(bad.code).toBe("misconfigured");
    expect(bad.message).not.toContain("Sup3rS3cret");
    const scheme = await failure(
      openStore({ url: "mysql://app:Sup3rS3cret@localhost/db", logger: silentLogger }),
    );
    expect(scheme.message).toContain('scheme "mysql"');
    expect(scheme.message).not.toContain("Sup3rS3cret");
  });

  it.skipIf(!postgres || postgres.skip !== null)(
    "reports a wrong password without repeating it",
    async () => {
      const url = new URL(postgres!.url!);
      url.password = "WrongPassw0rd";
      const error = await failure(openStore({ url: url.toString(), logger: silentLogger }));
      expect(error.message).toContain(`${url.hostname}:${url.port}`);
      expect(error.message).toMatch(/password authentication failed/);
      expect(error.message).not.toContain("WrongPassw0rd");
    },
  );
});

describe("in-memory PGlite", () => {
  it("treats a dataDir ending in :memory: as in-memory (config loaders make paths absolute)", async () => {
    const parent = testTempDir("gcfg-mem-");
    const store = await openStore({ dataDir: join(parent, ":memory:"), logger: silentLogger });
    try {
      expect(store.target).toBe("memory");
      expect(existsSync(join(parent, ":memory:"))).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe("PGlite data folder lock", () => {
  it("allows one holder at a time and releases on demand", () => {
    const dir = join(testTempDir("gcfg-lock-"), "data");
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    lockDataDir(dir)();
  });

  it("takes over a lock left by a dead process", async () => {
    const dir = join(testTempDir("gcfg-lock-"), "data");
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    writeFileSync(`${dir}.lock`, String(dead.pid));
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
  });

  it("refuses to open a folder another live process holds, before starting PGlite", async () => {
    const dir = join(testTempDir("gcfg-lock-"), "data");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(`${dir}.lock`, String(holder.pid));
      const started = Date.now();
      const error = await failure(openStore({ dataDir: dir, logger: silentLogger }));
      expect(error.code).toBe("data-dir-locked");
      expect(error.message).toContain(String(holder.pid));
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      holder.kill("SIGKILL");
    }
  });
});
