// Certificate rotation while the server runs (server.tls.reloadInterval): real files, a real
// server on 127.0.0.1:0, and what a new TLS connection is served.
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:tls";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ChannelCredentials } from "@grpc/grpc-js";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";
import { startTestServer } from "../testdata/support/harness.js";
import type { TestServer } from "../testdata/support/harness.js";
import { TestCertificates } from "./testdata/tls-certificates.js";

const certs = new TestCertificates("grpc-cfg-tls-reload-");
const INTERVAL = "100ms";
const SOON = { timeout: 5_000, interval: 50 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The common name of the certificate a new TLS connection (ALPN h2, as gRPC) is served. */
function servedName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: "127.0.0.1",
        port,
        servername: "localhost",
        ALPNProtocols: ["h2"],
        rejectUnauthorized: false,
      },
      () => {
        const name = socket.getPeerCertificate().subject?.CN;
        socket.destroy();
        resolve(String(name));
      },
    );
    socket.once("error", reject);
  });
}

async function echoOver(port: number, credentials: ChannelCredentials): Promise<string> {
  const channel = createChannel(`127.0.0.1:${port}`, credentials);
  try {
    return (await createClient(TestServiceDefinition, channel).echo({ message: "secure" })).message;
  } finally {
    channel.close();
  }
}

/** Server log entries whose message contains `text`. */
function logged(t: TestServer, text: string): Record<string, unknown>[] {
  return t.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => String(entry["msg"]).includes(text));
}

/** A folder with cert.pem/key.pem (and ca.pem) copied from the named certificates. */
function liveFolder(name: string, leaf: string, ca?: string): string {
  const dir = certs.file(name);
  mkdirSync(dir);
  copyFileSync(certs.file(`${leaf}.pem`), join(dir, "cert.pem"));
  copyFileSync(certs.file(`${leaf}.key`), join(dir, "key.pem"));
  if (ca !== undefined) copyFileSync(certs.file(`${ca}.pem`), join(dir, "ca.pem"));
  return dir;
}

async function tlsServer(dir: string, mutual = false, reloadInterval = INTERVAL) {
  const tls = {
    cert: join(dir, "cert.pem"),
    key: join(dir, "key.pem"),
    reloadInterval,
    ...(mutual ? { ca: join(dir, "ca.pem"), requireClientCert: true } : {}),
  };
  return startTestServer({ config: { server: { tls } } });
}

describe("TLS certificates reloaded while serving", () => {
  beforeAll(() => {
    certs.ca("ca", "test-ca").ca("ca2", "test-ca-2");
    certs.issue("a", "server-a").issue("b", "server-b").issue("client2", "client-2", "ca2");
  });
  afterAll(() => certs.remove());

  it("serves a certificate rotated by a symlink swap (cert-manager) to new connections", async () => {
    // The mounted-secret layout: cert.pem → ..data/cert.pem, ..data → a timestamped folder.
    const dir = certs.file("swap");
    mkdirSync(join(dir, "v1"), { recursive: true });
    for (const [from, to] of [
      ["a.pem", "cert.pem"],
      ["a.key", "key.pem"],
    ] as const) {
      copyFileSync(certs.file(from), join(dir, "v1", to));
      symlinkSync(join("..data", to), join(dir, to));
    }
    symlinkSync("v1", join(dir, "..data"));
    const t = await tlsServer(dir);
    try {
      const ca = readFileSync(certs.file("ca.pem"));
      expect(await servedName(t.port)).toBe("server-a");
      const before = createChannel(`127.0.0.1:${t.port}`, ChannelCredentials.createSsl(ca));
      const client = createClient(TestServiceDefinition, before);
      expect((await client.echo({ message: "before" })).message).toBe("before");

      mkdirSync(join(dir, "v2"));
      copyFileSync(certs.file("b.pem"), join(dir, "v2", "cert.pem"));
      copyFileSync(certs.file("b.key"), join(dir, "v2", "key.pem"));
      symlinkSync("v2", join(dir, "..data_tmp"));
      renameSync(join(dir, "..data_tmp"), join(dir, "..data"));

      await vi.waitFor(async () => expect(await servedName(t.port)).toBe("server-b"), SOON);
      expect(await echoOver(t.port, ChannelCredentials.createSsl(ca))).toBe("secure");
      // The connection opened before the rotation goes on with its certificate.
      expect((await client.echo({ message: "after" })).message).toBe("after");
      before.close();

      const installed = logged(t, "installed new TLS files");
      expect(installed).toEqual([
        expect.objectContaining({
          level: "info",
          cert: join(dir, "cert.pem"),
          subject: "CN=server-b",
          changed: ["cert", "key"],
        }),
      ]);
      expect(logged(t, "TLS files changed")).toEqual([]);
      expect(t.logLines.join("")).not.toMatch(/PRIVATE KEY/);
    } finally {
      await t.close();
    }
  });

  it("keeps the old certificate while the key does not match, warns once, installs the fixed pair", async () => {
    const dir = liveFolder("mismatch", "a");
    const t = await tlsServer(dir);
    try {
      copyFileSync(certs.file("b.pem"), join(dir, "cert.pem"));
      await sleep(700);
      expect(await servedName(t.port)).toBe("server-a");
      const warnings = logged(t, "TLS files changed but cannot be used");
      expect(warnings).toEqual([
        expect.objectContaining({
          level: "warn",
          problems: [
            `server.tls.key: the key in ${join(dir, "key.pem")} does not belong to the certificate in ${join(dir, "cert.pem")} (server.tls.cert)`,
          ],
          serving: expect.objectContaining({ subject: "CN=server-a" }),
        }),
      ]);
      expect(logged(t, "installed new TLS files")).toEqual([]);

      copyFileSync(certs.file("b.key"), join(dir, "key.pem"));
      await vi.waitFor(async () => expect(await servedName(t.port)).toBe("server-b"), SOON);
      expect(logged(t, "installed new TLS files")).toHaveLength(1);
      expect(logged(t, "TLS files changed but cannot be used")).toHaveLength(1);
    } finally {
      await t.close();
    }
    // Shut down, the server stops looking at the files: a bad rotation now goes unremarked.
    const lines = t.logLines.length;
    copyFileSync(certs.file("a.pem"), join(dir, "cert.pem"));
    await sleep(500);
    expect(t.logLines.slice(lines).filter((line) => line.includes("TLS"))).toEqual([]);
  });

  it("keeps serving when the files are deleted, warns once, and takes them back", async () => {
    const dir = liveFolder("deleted", "a");
    const t = await tlsServer(dir);
    try {
      rmSync(join(dir, "cert.pem"));
      rmSync(join(dir, "key.pem"));
      await sleep(700);
      expect(await servedName(t.port)).toBe("server-a");
      const ca = readFileSync(certs.file("ca.pem"));
      expect(await echoOver(t.port, ChannelCredentials.createSsl(ca))).toBe("secure");
      const [warning, ...more] = logged(t, "TLS files changed but cannot be used");
      expect(more).toEqual([]);
      expect(warning?.["problems"]).toEqual([
        expect.stringMatching(
          new RegExp(`^server\\.tls\\.cert: cannot read ${join(dir, "cert.pem")}: ENOENT`),
        ),
        expect.stringMatching(
          new RegExp(`^server\\.tls\\.key: cannot read ${join(dir, "key.pem")}: ENOENT`),
        ),
      ]);

      writeFileSync(join(dir, "key.pem"), readFileSync(certs.file("b.key")));
      writeFileSync(join(dir, "cert.pem"), readFileSync(certs.file("b.pem")));
      await vi.waitFor(async () => expect(await servedName(t.port)).toBe("server-b"), SOON);
    } finally {
      await t.close();
    }
  });

  it("mTLS: accepts a client signed by a rotated-in CA", async () => {
    const dir = liveFolder("mutual", "a", "ca");
    const t = await tlsServer(dir, true);
    try {
      const client2 = () =>
        ChannelCredentials.createSsl(
          readFileSync(certs.file("ca.pem")),
          readFileSync(certs.file("client2.key")),
          readFileSync(certs.file("client2.pem")),
        );
      await expect(echoOver(t.port, client2())).rejects.toThrow();

      copyFileSync(certs.file("ca2.pem"), join(dir, "ca.pem"));
      await vi.waitFor(async () => expect(await echoOver(t.port, client2())).toBe("secure"), SOON);
      expect(logged(t, "installed new TLS files")).toEqual([
        expect.objectContaining({ ca: join(dir, "ca.pem"), changed: ["ca"] }),
      ]);
    } finally {
      await t.close();
    }
  });

  it('reads the files only at start with reloadInterval "off"', async () => {
    const dir = liveFolder("off", "a");
    const t = await tlsServer(dir, false, "off");
    try {
      copyFileSync(certs.file("b.pem"), join(dir, "cert.pem"));
      copyFileSync(certs.file("b.key"), join(dir, "key.pem"));
      await sleep(400);
      expect(await servedName(t.port)).toBe("server-a");
      expect(t.logLines.filter((line) => line.includes("TLS"))).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it("the reload timer does not keep the process alive", async () => {
    const dist = fileURLToPath(new URL("../../dist/server/", import.meta.url));
    const script = `
      import { connect } from "node:tls";
      import grpc from "@grpc/grpc-js";
      const { createServerCredentials } = await import(${JSON.stringify(join(dist, "credentials.js"))});
      const { TlsFileProvider } = await import(${JSON.stringify(join(dist, "tls-file-provider.js"))});
      const tls = {
        cert: ${JSON.stringify(certs.file("a.pem"))},
        key: ${JSON.stringify(certs.file("a.key"))},
        requireClientCert: false,
        reloadInterval: "100ms",
      };
      // A provider whose listener is never removed: only unref() lets the process end.
      const pem = (path) => ({ path, pem: Buffer.from("") });
      new TlsFileProvider({ initial: { cert: pem(tls.cert), key: pem(tls.key), ca: null }, intervalMs: 100 })
        .addIdentityCertificateListener(() => {});
      const server = new grpc.Server();
      server.bindAsync("127.0.0.1:0", createServerCredentials(tls), (error, port) => {
        if (error) throw error;
        const socket = connect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        ALPNProtocols: ["h2"],
        rejectUnauthorized: false,
      }, () => {
          console.log("served " + socket.getPeerCertificate().subject.CN);
          socket.destroy();
          server.tryShutdown(() => console.log("closed"));
        });
      });
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)), timeout: 10_000 },
    );
    expect(stdout).toBe("served server-a\nclosed\n");
  });
});
