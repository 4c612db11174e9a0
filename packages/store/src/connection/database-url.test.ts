// The DATABASE_URL dialect: Unix-socket forms reach the server through the socket, libpq-only
// parameters and several hosts are refused before connecting, without echoing the password.
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, silentLogger, StoreError } from "../index.js";
import { testBackends } from "../testdata/backends.js";
import { driverUrl } from "./describe-url.js";

const backend = (await testBackends()).find((candidate) => candidate.name === "postgres");

function refusal(url: string): StoreError {
  try {
    driverUrl(url);
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("misconfigured");
    expect((error as StoreError).message).not.toContain("Sup3rS3cret");
    return error as StoreError;
  }
  throw new Error(`accepted ${url}`);
}

describe("database URL dialect", () => {
  it("reads both Unix-socket forms as a socket folder for postgres.js", () => {
    const encoded = driverUrl("postgres://app:Sup3rS3cret@%2Fvar%2Frun%2Fpostgresql/appdb");
    expect(encoded.options).toEqual({ host: "/var/run/postgresql", port: 5432 });
    expect(encoded.url).toBe("postgres://app:Sup3rS3cret@localhost/appdb");
    expect(encoded.target).toMatchObject({
      socket: "/var/run/postgresql/.s.PGSQL.5432",
      where: "socket /var/run/postgresql/.s.PGSQL.5432",
      database: "appdb",
      user: "app",
    });
    const query = driverUrl(
      "postgresql://app:Sup3rS3cret@/appdb?host=/var/run/postgresql&port=5433&application_name=x",
    );
    expect(query.options).toEqual({ host: "/var/run/postgresql", port: 5433 });
    expect(query.url).toBe("postgresql://app:Sup3rS3cret@localhost/appdb?application_name=x");
    expect(query.target.socket).toBe("/var/run/postgresql/.s.PGSQL.5433");
    // An ordinary URL goes through untouched.
    const plain = "postgres://app:p%40ss@db.internal:6432/appdb?sslmode=require";
    expect(driverUrl(plain)).toMatchObject({ url: plain, options: {} });
    expect(driverUrl(plain).target.display).toBe("db.internal:6432/appdb");
  });

  it("hands an IPv6 host to postgres.js whole, and writes it in brackets", () => {
    const v6 = driverUrl("postgres://app:Sup3rS3cret@[::1]:5433/appdb");
    // As lists: postgres.js would cut a string host at its first colon.
    expect(v6.options).toEqual({ host: ["::1"], port: [5433] });
    expect(v6.target).toMatchObject({
      host: "::1",
      port: 5433,
      socket: null,
      where: "[::1]:5433",
      display: "[::1]:5433/appdb",
    });
    expect(driverUrl("postgres://app@[2001:db8::5]/appdb")).toMatchObject({
      options: { host: ["2001:db8::5"], port: [5432] },
      target: { where: "[2001:db8::5]:5432" },
    });
    const query = driverUrl("postgres://app@/appdb?host=::1&port=6432");
    expect(query.options).toEqual({ host: ["::1"], port: [6432] });
    expect(query.target.display).toBe("[::1]:6432/appdb");
  });

  it("refuses libpq-only parameters, naming them and what to do instead", () => {
    const base = "postgres://app:Sup3rS3cret@db.internal/appdb?sslmode=verify-full&";
    expect(refusal(`${base}sslrootcert=/etc/ca.crt`).message).toBe(
      'database URL parameter "sslrootcert" is not supported (the PostgreSQL driver is ' +
        "postgres.js, not libpq): to trust a private CA, give its certificate file in " +
        "NODE_EXTRA_CA_CERTS and use sslmode=verify-full (sslrootcert=system is supported: " +
        "the system's CAs)",
    );
    for (const name of ["sslcert", "sslkey", "sslcrl", "passfile", "service"]) {
      expect(refusal(`${base}${name}=x`).message).toMatch(
        new RegExp(`^database URL parameter "${name}" is not supported .*: \\S`),
      );
    }
    expect(driverUrl(`${base}sslrootcert=system`).options).toEqual({});
  });

  it("refuses several hosts: postgres.js would wait forever when all are down", () => {
    expect(refusal("postgres://app:Sup3rS3cret@h1:5432,h2:5433/appdb").message).toMatch(
      /^database URL lists several hosts; grpc-cfg connects to one/,
    );
  });

  it("refuses a bad port or a URL that is not one, without echoing it", () => {
    expect(refusal("postgres://app:Sup3rS3cret@db:99999/appdb").message).toMatch(/invalid port/);
    expect(refusal("postgres://app:Sup3rS3cret@[not-a-host/appdb").message).toMatch(
      /not a valid URL/,
    );
  });
});

describe.skipIf(!backend || backend.skip !== null)("a Unix socket (PostgreSQL)", () => {
  let folder = "";
  let forwarder: Server;

  beforeAll(async () => {
    // A socket in a folder of ours that forwards to the test server's TCP port, so the test
    // does not depend on the machine's socket folder or its peer authentication.
    const target = new URL(backend!.url!);
    folder = mkdtempSync(join(tmpdir(), "gcfg-socket-"));
    forwarder = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => forwarder.listen(join(folder, ".s.PGSQL.5432"), resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => forwarder?.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it("connects through it with either form", async () => {
    const target = new URL(backend!.url!);
    const credentials = `${target.username}:${target.password}`;
    const database = target.pathname;
    for (const url of [
      `postgres://${credentials}@${encodeURIComponent(folder)}${database}`,
      `postgres://${credentials}@${database}?host=${folder}`,
    ]) {
      const store = await openStore({ url, logger: silentLogger });
      try {
        expect(store.target).toBe(`${folder}/.s.PGSQL.5432 (database ${database.slice(1)})`);
        expect(await store.instances.list()).toBeInstanceOf(Array);
      } finally {
        await store.close();
      }
    }
  });

  it("refuses an unsupported parameter before connecting", async () => {
    const target = new URL(backend!.url!);
    target.searchParams.set("sslrootcert", "/tmp/ca.crt");
    const error = await openStore({ url: target.toString(), logger: silentLogger }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "misconfigured" });
    expect((error as Error).message).toMatch(/"sslrootcert" is not supported/);
    expect((error as Error).message).not.toContain(target.password);
  });
});

describe.skipIf(!backend || backend.skip !== null)("an IPv6 host (PostgreSQL)", () => {
  let forwarder: Server;
  let port = 0;

  beforeAll(async () => {
    // The test server may listen on 127.0.0.1 only: a forwarder on ::1 stands in for it.
    const target = new URL(backend!.url!);
    forwarder = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => forwarder.listen(0, "::1", resolve));
    port = (forwarder.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => forwarder?.close(resolve));
  });

  it("connects to [::1]:port", async () => {
    const url = new URL(backend!.url!);
    url.host = `[::1]:${port}`;
    expect(url.toString()).toContain(`@[::1]:${port}/`);
    const store = await openStore({ url: url.toString(), logger: silentLogger });
    try {
      expect(store.target).toBe(`[::1]:${port}${url.pathname}`);
      expect(await store.instances.list()).toBeInstanceOf(Array);
    } finally {
      await store.close();
    }
  });
});
