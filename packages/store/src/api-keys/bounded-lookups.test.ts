import { describe, expect, it } from "vitest";
import { BoundedLookups } from "./bounded-lookups.js";

/** A lookup the test finishes by hand, recording when it started. */
function controlled(started: string[]) {
  const finish = new Map<string, (value: string) => void>();
  const fail = new Map<string, (error: Error) => void>();
  const load = (key: string) => () => {
    started.push(key);
    return new Promise<string>((resolve, reject) => {
      finish.set(key, resolve);
      fail.set(key, reject);
    });
  };
  return { load, finish, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("BoundedLookups", () => {
  it("shares one lookup between callers of the same key", async () => {
    const started: string[] = [];
    const { load, finish } = controlled(started);
    const lookups = new BoundedLookups<string, string>(1, 0);
    const first = lookups.run("a", load("a"));
    const second = lookups.run("a", load("a"));
    expect(second).toBe(first);
    finish.get("a")!("A");
    expect(await first).toBe("A");
    expect(started).toEqual(["a"]);
  });

  it("runs at most maxRunning at once, starts waiting ones in order, refuses past the queue", async () => {
    const started: string[] = [];
    const { load, finish } = controlled(started);
    const lookups = new BoundedLookups<string, string>(2, 2);
    const pending = ["a", "b", "c", "d"].map((key) => lookups.run(key, load(key)));
    expect(lookups.run("e", load("e"))).toBeNull();
    expect(started).toEqual(["a", "b"]);
    expect([lookups.running, lookups.waiting]).toEqual([2, 2]);

    finish.get("b")!("B");
    await tick();
    expect(started).toEqual(["a", "b", "c"]);
    expect([lookups.running, lookups.waiting]).toEqual([2, 1]);

    finish.get("a")!("A");
    await tick();
    finish.get("c")!("C");
    await tick();
    finish.get("d")!("D");
    expect(await Promise.all(pending)).toEqual(["A", "B", "C", "D"]);
    await tick();
    expect([lookups.running, lookups.waiting]).toEqual([0, 0]);
  });

  it("frees the slot of a lookup that fails, and forgets it so the next caller retries", async () => {
    const started: string[] = [];
    const { load, finish, fail } = controlled(started);
    const lookups = new BoundedLookups<string, string>(1, 0);
    const failing = lookups.run("a", load("a"))!;
    expect(lookups.run("b", load("b"))).toBeNull();
    fail.get("a")!(new Error("database down"));
    await expect(failing).rejects.toThrow("database down");
    const retried = lookups.run("a", load("a"));
    expect(retried).not.toBeNull();
    finish.get("a")!("A");
    expect(await retried).toBe("A");
    expect(started).toEqual(["a", "a"]);
  });

  it("runs a priority lookup before the queued ones and never refuses it", async () => {
    const started: string[] = [];
    const { load, finish } = controlled(started);
    const lookups = new BoundedLookups<string, string>(1, 1);
    const pending = [lookups.run("a", load("a")), lookups.run("b", load("b"))];
    expect(lookups.run("c", load("c"))).toBeNull();
    const first = lookups.run("known", load("known"), true);
    expect(first).not.toBeNull();
    expect([lookups.running, lookups.waiting]).toEqual([1, 2]);
    finish.get("a")!("A");
    await tick();
    expect(started).toEqual(["a", "known"]);
    finish.get("known")!("K");
    await tick();
    finish.get("b")!("B");
    expect(await Promise.all([...pending, first])).toEqual(["A", "B", "K"]);
  });
});
