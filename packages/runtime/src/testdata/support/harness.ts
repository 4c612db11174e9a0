import * as grpc from "@grpc/grpc-js";
import type { Channel } from "nice-grpc";
import { createChannel, createClientFactory, Metadata } from "nice-grpc";
import { errorDetailsClientMiddleware } from "nice-grpc-error-details";
import { expect } from "vitest";
import type {
  Authenticator,
  DatabaseProvider,
  DiscoveredService,
  GrpcCfgConfig,
  GrpcCfgServer,
  Logger,
  RequestLogRecord,
  RequestLogSink,
} from "../../index.js";
import {
  createJsonLogger,
  createServer,
  InMemoryAuthenticator,
  MemoryLogSink,
  resolveConfig,
} from "../../index.js";
import { descriptorSet, services as manifestServices } from "../gen/grpc-cfg.manifest.js";
import {
  AccountServiceDefinition,
  CatalogServiceDefinition,
  TestServiceDefinition,
} from "../gen/testsvc/v1/test_service.js";
import { AccountService, CatalogService, TestService } from "./test-implementations.js";

/** API keys of the standard test users. */
export const KEYS = {
  plain: "key-plain-0123456789abcdef",
  staff: "key-staff-0123456789abcdef",
  superuser: "key-super-0123456789abcdef",
  permitted: "key-perm-0123456789abcdef",
  inactive: "key-inactive-0123456789abcdef",
} as const;

/** Authenticator knowing {@link KEYS}: users 1–5, key ids 11–15. */
export function standardAuthenticator(): InMemoryAuthenticator {
  return new InMemoryAuthenticator([
    { key: KEYS.plain, user: { id: 1, username: "alice" }, apiKey: { id: 11 } },
    { key: KEYS.staff, user: { id: 2, username: "sam", isStaff: true }, apiKey: { id: 12 } },
    {
      key: KEYS.superuser,
      user: { id: 3, username: "root", isSuperuser: true },
      apiKey: { id: 13 },
    },
    {
      key: KEYS.permitted,
      user: { id: 4, username: "pat", permissions: ["testsvc.special"] },
      apiKey: { id: 14 },
    },
    { key: KEYS.inactive, user: { id: 5, username: "ina", isActive: false }, apiKey: { id: 15 } },
  ]);
}

/** The three test services, as discovery would return them. */
export function testServices(): DiscoveredService[] {
  const instances = [new TestService(), new CatalogService(), new AccountService()];
  return manifestServices.map((entry, i) => ({
    entry,
    implementation: instances[i] as object,
    className: entry.className.replace(/Base$/, ""),
    file: "testdata/support/test-implementations.ts",
  }));
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  readonly config?: GrpcCfgConfig;
  readonly authenticators?: readonly Authenticator[];
  readonly sinks?: readonly RequestLogSink[];
  readonly database?: DatabaseProvider | null;
  readonly services?: DiscoveredService[];
}

/** A running test server with clients and captured server-log lines. */
export interface TestServer {
  readonly server: GrpcCfgServer;
  readonly port: number;
  readonly sink: MemoryLogSink;
  readonly logLines: string[];
  readonly logger: Logger;
  readonly channel: Channel;
  readonly test: ReturnType<typeof makeClients>["test"];
  readonly catalog: ReturnType<typeof makeClients>["catalog"];
  readonly account: ReturnType<typeof makeClients>["account"];
  close(): Promise<void>;
}

function makeClients(channel: Channel) {
  const factory = createClientFactory().use(errorDetailsClientMiddleware);
  return {
    test: factory.create(TestServiceDefinition, channel),
    catalog: factory.create(CatalogServiceDefinition, channel),
    account: factory.create(AccountServiceDefinition, channel),
  };
}

/** Metadata carrying an API key. */
export function withKey(key: string, extra: Record<string, string> = {}) {
  return { metadata: Metadata({ "x-api-key": key, ...extra }) };
}

/** Starts the test services on 127.0.0.1:0 with a MemoryLogSink and a capturing logger. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = resolveConfig(
    {
      ...options.config,
      server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 2_000, ...options.config?.server },
    },
    { env: {} },
  );
  const logLines: string[] = [];
  const logger = createJsonLogger({ level: "debug", write: (line) => logLines.push(line) });
  const sink = new MemoryLogSink();
  const server = createServer({
    config,
    manifest: { services: manifestServices, descriptorSet },
    services: options.services ?? testServices(),
    authenticators: options.authenticators ?? [standardAuthenticator()],
    sinks: [sink, ...(options.sinks ?? [])],
    database: options.database ?? null,
    logger,
  });
  const { port } = await server.listen();
  const channel = createChannel(`127.0.0.1:${port}`);
  return {
    server,
    port,
    sink,
    logLines,
    logger,
    channel,
    ...makeClients(channel),
    async close() {
      channel.close();
      await server.shutdown("test done");
    },
  };
}

/**
 * Waits until the server's sink holds exactly one record and no second one shows up shortly
 * after (a duplicate would arrive within the same tick or the next few), then returns it.
 */
export async function onlyRecord(t: TestServer): Promise<RequestLogRecord> {
  const [record] = await t.sink.waitFor(1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(t.sink.records).toHaveLength(1);
  return record as RequestLogRecord;
}

/**
 * Calls a unary method with a real grpc-js client and a deadline (nice-grpc's client needs an
 * extra middleware for deadlines; grpc-js sends `grpc-timeout` itself). Resolves to the status.
 */
export function callWithDeadline(
  port: number,
  path: string,
  request: Uint8Array,
  deadline: Date,
): Promise<{ code: number; details: string }> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (bytes: Uint8Array) => Buffer.from(bytes),
      (bytes: Buffer) => bytes,
      request,
      new grpc.Metadata(),
      { deadline },
      (error) => {
        client.close();
        resolve(error ? { code: error.code, details: error.details } : { code: 0, details: "" });
      },
    );
  });
}
