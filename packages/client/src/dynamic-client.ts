import { describeEnum, describeMessage, describeMethod, describeService } from "./describe.js";
import type { CallKind, MethodDescription, SymbolDescription } from "./describe.js";
import { DescriptorPool } from "./descriptor-pool.js";
import { openConnection, toDeadline } from "./connection.js";
import type { TlsOptions } from "./connection.js";
import type { MetadataInit } from "./metadata.js";
import { toGrpcMetadata } from "./metadata.js";
import { ReflectionClient } from "./reflection-client.js";
import type { ReflectionVersion } from "./reflection-client.js";
import { resolveMethod, resolveSymbol } from "./symbol-resolution.js";
import { invokeMethod } from "./invoke.js";
import type { InvokeInput, InvokeResult } from "./invoke.js";

/** Connection-wide settings of a dynamic client. */
export interface DynamicClientOptions {
  /** TLS settings; plaintext when absent or false. */
  tls?: TlsOptions;
  /** Metadata sent with every call, reflection included (e.g. `x-api-key`). */
  metadata?: MetadataInit;
  /** Default deadline per call (and per reflection exchange) in milliseconds. */
  deadline?: number;
  /** Largest response message this client accepts, in bytes; grpc-js's 4 MiB by default. */
  maxReceiveMessageBytes?: number;
}

/** Per-call settings. */
export interface InvokeOptions {
  /** Metadata for this call, added to the client's. */
  metadata?: MetadataInit;
  /** Milliseconds from now, or an absolute time, after which the call fails DEADLINE_EXCEEDED. */
  deadline?: number | Date;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
  /** Include fields holding default values in the JSON output. */
  emitDefaults?: boolean;
}

/** A service as listed by the server, with its methods when asked for. */
export interface ServiceListing {
  name: string;
  /** Present with `listServices({ methods: true })`. */
  methods?: { name: string; callKind: CallKind }[];
}

/** A client that discovers a server's API by reflection and calls it with JSON. */
export interface DynamicClient {
  /** The address this client talks to. */
  readonly address: string;
  /** Full names of the services the server lists (with their methods if `methods` is set). */
  listServices(options?: { methods?: boolean }): Promise<ServiceListing[]>;
  /**
   * Describes a service, method (`pkg.Svc/Method` or `pkg.Svc.Method`), message or enum.
   * Throws DynamicClientError("unknown-symbol") with close matches when it does not exist.
   */
  describe(symbol: string): Promise<SymbolDescription>;
  /** Resolves a method name (full or unambiguous short service name) to its description. */
  resolveMethod(name: string): Promise<MethodDescription>;
  /**
   * Calls a method. `input` is one JSON value for unary and server-streaming methods, and an
   * (async) iterable of JSON values for client-streaming and bidi methods.
   */
  invoke(method: string, input: InvokeInput, options?: InvokeOptions): Promise<InvokeResult>;
  /** The reflection protocol the server answered, once one has been used. */
  readonly reflectionVersion: ReflectionVersion | undefined;
  /** Closes the connection. */
  close(): void;
}

/** Default time one reflection exchange may take when no deadline is configured. */
const DEFAULT_REFLECTION_TIMEOUT_MS = 10_000;

/**
 * Opens a dynamic client to `address` (`host:port`). Nothing is sent until the first method
 * is used; descriptors are fetched on demand and cached for the life of the client.
 */
export function createDynamicClient(
  address: string,
  options: DynamicClientOptions = {},
): DynamicClient {
  const client = openConnection(address, options.tls, options);
  const reflection = new ReflectionClient(client, {
    address,
    metadata: () => toGrpcMetadata(options.metadata),
    timeoutMs: options.deadline ?? DEFAULT_REFLECTION_TIMEOUT_MS,
  });
  const pool = new DescriptorPool(reflection);

  return {
    address,
    get reflectionVersion() {
      return reflection.negotiatedVersion;
    },
    async listServices(listOptions = {}) {
      const names = (await pool.listServices()).sort();
      if (!listOptions.methods) return names.map((name) => ({ name }));
      const listings: ServiceListing[] = [];
      for (const name of names) {
        const found = await pool.loadSymbol(name);
        const service = found ? pool.findService(name) : undefined;
        const methods = (service?.methods ?? []).map((m) => ({
          name: m.name,
          callKind: m.methodKind,
        }));
        listings.push({ name, methods });
      }
      return listings;
    },
    async describe(symbol) {
      const desc = await resolveSymbol(pool, symbol);
      switch (desc.kind) {
        case "service":
          return describeService(desc);
        case "rpc":
          return describeMethod(desc);
        case "message":
          return describeMessage(desc);
        case "enum":
          return describeEnum(desc);
      }
    },
    async resolveMethod(name) {
      return describeMethod(await resolveMethod(pool, name));
    },
    async invoke(name, input, invokeOptions = {}) {
      const method = await resolveMethod(pool, name);
      const deadline = invokeOptions.deadline ?? options.deadline;
      return invokeMethod(
        {
          client,
          method,
          types: {
            get registry() {
              return pool.typeRegistry;
            },
            loadTypes: (typeNames) => pool.loadTypes(typeNames),
          },
          metadata: toGrpcMetadata(options.metadata, invokeOptions.metadata),
          options: deadline === undefined ? {} : { deadline: toDeadline(deadline) },
          output: { emitDefaults: invokeOptions.emitDefaults ?? false },
          signal: invokeOptions.signal,
        },
        input,
      );
    },
    close() {
      client.close();
    },
  };
}
