// Another session holds the migration lock (as another replica or a stuck `grpc-cfg migrate`
// would): opening the store waits, says who it waits for, and can be told to give up.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, StoreError, type StoreLogger } from "../index.js";
import { testBackends } from "../testdata/backends.js";
import { MIGRATION_LOCK_KEY } from "./migration-lock.js";

const backend = (await testBackends()).find((candidate) => candidate.name === "postgres");

/** A logger keeping warnings, with a promise for the first one. */
function recordingLogger() {
  const warnings: string[] = [];
  let told: (message: string) => void = () => {};
  const firstWarning = new Promise<string>((resolve) => (told = resolve));
  const logger: StoreLogger = {
    warn: (message) => {
      warnings.push(message);
      told(message);
    },
    error: () => {},
  };
  return { logger, warnings, firstWarning };
}

describe.skipIf(!backend || backend.skip !== null)("waiting for the migration lock", () => {
  let holder: postgres.Sql;
  let holderPid = 0;

  beforeAll(async () => {
    // The schema exists first, so the only thing the store waits for below is the lock.
    await (await backend!.open()).close();
    holder = postgres(backend!.url!, {
      max: 1,
      onnotice: () => {},
      connection: { application_name: "lock-holder-test" },
    });
    const [row] = await holder<{ pid: number }[]>`select pg_backend_pid() as pid`;
    holderPid = row!.pid;
  });

  afterAll(async () => {
    await holder?.end({ timeout: 1 });
  });

  const lock = () => holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
  const unlock = () => holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;

  it("says after ~2 s which session holds it, and finishes once it is released", async () => {
    await lock();
    const { logger, warnings, firstWarning } = recordingLogger();
    const started = Date.now();
    let opened = false;
    const opening = openStore({ url: backend!.url!, logger }).then((store) => {
      opened = true;
      return store;
    });
    const message = await firstWarning;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(message).toBe(
      `waiting for the migration lock held by pid ${holderPid} ` +
        `(application_name "lock-holder-test", user "${new URL(backend!.url!).username}")`,
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(opened).toBe(false);
    expect(warnings).toHaveLength(1);
    await unlock();
    const store = await opening;
    expect(store.kind).toBe("postgres");
    await store.close();
  }, 20_000);

  it("gives up the wait when its signal fires, with a StoreError `aborted`", async () => {
    await lock();
    try {
      const stop = new AbortController();
      const { logger, firstWarning } = recordingLogger();
      const opening = openStore({ url: backend!.url!, logger, signal: stop.signal });
      await firstWarning;
      const aborted = Date.now();
      stop.abort("SIGTERM");
      const error = await opening.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(Date.now() - aborted).toBeLessThan(1_000);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({
        code: "aborted",
        message: "stopped waiting for the migration lock; nothing was migrated",
      });
    } finally {
      await unlock();
    }
  }, 20_000);
});
