/**
 * Starts the real shop for tests: the example's own grpc-cfg.config.ts, its migrations and
 * seed on a fresh database (in-memory PGlite by default, PostgreSQL when given a URL), the
 * runtime's discovery and createServer with the store's API-key authenticator and request
 * log sink, listening on 127.0.0.1 on a free port. Nothing is mocked.
 */
import { fileURLToPath } from "node:url";
import { createChannel, createClientFactory, Metadata } from "nice-grpc";
import { errorDetailsClientMiddleware } from "nice-grpc-error-details";
import type { Channel, Client } from "nice-grpc";
import {
  createServer,
  createSilentLogger,
  discoverServices,
  loadConfig,
  loadManifest,
} from "@grpc-cfg/runtime";
import type { GrpcCfgServer } from "@grpc-cfg/runtime";
import { IN_MEMORY, openStore, silentLogger } from "@grpc-cfg/store";
import type { Store } from "@grpc-cfg/store";
import { seedShop } from "../db/seed.js";
import { ProductCatalogServiceDefinition } from "../gen/shop/v1/catalog.js";
import { ChatServiceDefinition } from "../gen/shop/v1/chat.js";
import { OrderServiceDefinition } from "../gen/shop/v1/orders.js";
import { UserServiceDefinition } from "../gen/shop/v1/users.js";

/** Absolute path of examples/shop. */
export const SHOP_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A seeded or test-made user and an API key of theirs. */
export interface TestAccount {
  readonly id: number;
  readonly username: string;
  /** The API key secret, to send as `x-api-key`. */
  readonly key: string;
}

/** Typed nice-grpc clients of the four shop services, sharing one channel. */
export interface ShopClients {
  readonly users: Client<typeof UserServiceDefinition>;
  readonly catalog: Client<typeof ProductCatalogServiceDefinition>;
  readonly orders: Client<typeof OrderServiceDefinition>;
  readonly chat: Client<typeof ChatServiceDefinition>;
}

/** A running shop and handles to drive it. */
export interface ShopHarness {
  readonly store: Store;
  readonly server: GrpcCfgServer;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Seeded staff user. */
  readonly alice: TestAccount;
  /** Seeded customers. */
  readonly bob: TestAccount;
  readonly carol: TestAccount;
  /** A superuser made for the tests. */
  readonly admin: TestAccount;
  /** Clients sending `key` as `x-api-key`, or anonymous ones without a key. */
  clients(key?: string): ShopClients;
  /** Creates a user (optionally staff) with a key, e.g. to delete in a test. */
  createAccount(username: string, flags?: { isStaff?: boolean }): Promise<TestAccount>;
  /** Closes clients, drains the server, flushes logs and closes the database. */
  close(): Promise<void>;
}

/** Options of {@link startShop}. */
export interface StartShopOptions {
  /** PostgreSQL URL of an empty database; default: in-memory PGlite. */
  readonly databaseUrl?: string;
}

/** Starts the shop as described in this module's header. */
export async function startShop(options: StartShopOptions = {}): Promise<ShopHarness> {
  const config = await loadConfig(SHOP_ROOT, {
    server: { host: "127.0.0.1", port: 0 },
    monitor: { enabled: false },
  });
  const store = await openStore({
    ...(options.databaseUrl ? { url: options.databaseUrl } : { dataDir: IN_MEMORY }),
    migrationsFolders: config.database.migrations,
    logger: silentLogger,
  });
  const channels: Channel[] = [];
  let server: GrpcCfgServer | null = null;
  try {
    await seedShop(store.db);
    const manifest = await loadManifest(config.generated);
    const discovered = await discoverServices({
      apps: config.apps,
      services: manifest.services,
      strict: true,
      root: SHOP_ROOT,
    });
    server = createServer({
      config,
      manifest,
      services: discovered.services,
      authenticators: [store.createApiKeyAuthenticator()],
      sinks: [store.createRequestLogSink()],
      database: store.provider,
      logger: createSilentLogger(),
    });
    const { port } = await server.listen();
    const address = `127.0.0.1:${port}`;
    const running = server;

    const account = async (username: string): Promise<TestAccount> => {
      const user = await store.users.get(username);
      const { key } = await store.apiKeys.create({
        user: user.id,
        name: `test key of ${username}`,
      });
      return { id: user.id, username, key };
    };
    await store.users.create({ username: "admin", isStaff: true, isSuperuser: true });

    return {
      store,
      server: running,
      address,
      alice: await account("alice"),
      bob: await account("bob"),
      carol: await account("carol"),
      admin: await account("admin"),
      clients(key?: string): ShopClients {
        const channel = createChannel(address);
        channels.push(channel);
        const defaults = key ? { "*": { metadata: Metadata({ "x-api-key": key }) } } : {};
        // Decodes google.rpc details (BadRequest field violations) into RichClientError.
        const factory = createClientFactory().use(errorDetailsClientMiddleware);
        return {
          users: factory.create(UserServiceDefinition, channel, defaults),
          catalog: factory.create(ProductCatalogServiceDefinition, channel, defaults),
          orders: factory.create(OrderServiceDefinition, channel, defaults),
          chat: factory.create(ChatServiceDefinition, channel, defaults),
        };
      },
      async createAccount(username, flags = {}) {
        await store.users.create({ username, isStaff: flags.isStaff ?? false });
        return account(username);
      },
      async close() {
        for (const channel of channels) channel.close();
        await running.shutdown("tests done");
        await store.close();
      },
    };
  } catch (error) {
    for (const channel of channels) channel.close();
    await server?.shutdown("start failed").catch(() => {});
    await store.close();
    throw error;
  }
}
