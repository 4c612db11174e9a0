// Which connection errors name the configured database: the endpoints read from its URL
// (IPv6 and `?host=` forms included), matched against real node:net failures.
import { connect, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { databaseEndpoints, isDatabaseConnectionError } from "./database-endpoints.js";

/** The error node:net gives for a refused connection to `host`:`port` (nothing listens). */
async function refused(host: string): Promise<{ error: Error; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  const error = await new Promise<Error>((resolve) =>
    connect(port, host)
      .on("error", resolve)
      .on("connect", () => resolve(new Error("connected"))),
  );
  return { error, port };
}

describe("databaseEndpoints", () => {
  it("reads host names, IPv4, IPv6 and several hosts", () => {
    expect(databaseEndpoints("postgres://u:p@db.internal:6432/app")).toEqual([
      { host: "db.internal", port: 6432 },
    ]);
    expect(databaseEndpoints("postgres://u:p@[::1]:5433/app")).toEqual([
      { host: "::1", port: 5433 },
    ]);
    // Any spelling of an IPv6 address is the one node:net reports.
    expect(databaseEndpoints("postgres://u:p@[0:0:0:0:0:0:0:1]/app")).toEqual([
      { host: "::1", port: 5432 },
    ]);
    expect(databaseEndpoints("postgres://u:p@h1:5432,[2001:db8::5]:5433/app")).toEqual([
      { host: "h1", port: 5432 },
      { host: "2001:db8::5", port: 5433 },
    ]);
  });

  it("reads ?host= and a missing host as the store connects to them", () => {
    expect(databaseEndpoints("postgres://u@/app?host=::1&port=6432")).toEqual([
      { host: "::1", port: 6432 },
    ]);
    expect(databaseEndpoints("postgres://u@/app?host=/var/run/postgresql")).toEqual([
      { host: "/var/run/postgresql", port: null },
    ]);
    expect(databaseEndpoints("postgres://u@%2Fvar%2Frun%2Fpostgresql/app")).toEqual([
      { host: "/var/run/postgresql", port: null },
    ]);
    expect(databaseEndpoints("postgres://u@/app")).toEqual([{ host: "localhost", port: 5432 }]);
  });

  it("never throws on a URL it cannot read", () => {
    expect(databaseEndpoints("postgres://u:p@%E0%A4%A/app")).toEqual([]);
    expect(databaseEndpoints("not a url")).toEqual([]);
    expect(databaseEndpoints(null)).toEqual([]);
  });
});

describe("isDatabaseConnectionError", () => {
  it("recognises a refused connection to the database on [::1], and only that port", async () => {
    const { error, port } = await refused("::1");
    expect(error).toMatchObject({ code: "ECONNREFUSED", address: "::1", port });
    const wrapped = new Error("query failed", { cause: error });
    for (const url of [
      `postgres://u:p@[::1]:${port}/app`,
      `postgres://u:p@[0:0:0:0:0:0:0:1]:${port}/app`,
      `postgres://u:p@localhost:${port}/app`,
      `postgres://u@/app?host=::1&port=${port}`,
    ]) {
      expect(isDatabaseConnectionError(wrapped, databaseEndpoints(url)), url).toBe(true);
    }
    const elsewhere = databaseEndpoints(`postgres://u:p@[::1]:${port === 1 ? 2 : 1}/app`);
    expect(isDatabaseConnectionError(wrapped, elsewhere)).toBe(false);
    expect(
      isDatabaseConnectionError(wrapped, databaseEndpoints(`postgres://u:p@[::2]:${port}/app`)),
    ).toBe(false);
  });

  it("recognises postgres.js's error for a socket file in the configured folder", () => {
    const error = Object.assign(new Error("write CONNECTION_CLOSED /run/pg/.s.PGSQL.5432"), {
      code: "CONNECTION_CLOSED",
      address: "/run/pg/.s.PGSQL.5432",
    });
    expect(
      isDatabaseConnectionError(error, databaseEndpoints("postgres://u@/a?host=/run/pg")),
    ).toBe(true);
    expect(isDatabaseConnectionError(error, databaseEndpoints("postgres://u@/a?host=/other"))).toBe(
      false,
    );
  });
});
