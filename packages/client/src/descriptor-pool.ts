import { create, createFileRegistry, createRegistry, fromBinary } from "@bufbuild/protobuf";
import type { DescMethod, DescService, FileRegistry, Registry } from "@bufbuild/protobuf";
import * as wkt from "@bufbuild/protobuf/wkt";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { embeddedRegistry } from "./embedded-registry.js";
import { DynamicClientError } from "./errors.js";
import type { ReflectionClient, ReflectionSession } from "./reflection-client.js";

/**
 * Well-known type files bundled with @bufbuild/protobuf, used when a server's reflection does
 * not serve the google/protobuf files its own files import.
 */
const BUNDLED_FILES: ReadonlyMap<string, FileDescriptorProto> = new Map(
  [
    wkt.file_google_protobuf_any,
    wkt.file_google_protobuf_api,
    wkt.file_google_protobuf_descriptor,
    wkt.file_google_protobuf_duration,
    wkt.file_google_protobuf_empty,
    wkt.file_google_protobuf_field_mask,
    wkt.file_google_protobuf_source_context,
    wkt.file_google_protobuf_struct,
    wkt.file_google_protobuf_timestamp,
    wkt.file_google_protobuf_type,
    wkt.file_google_protobuf_wrappers,
  ].map((file) => [file.proto.name, file.proto]),
);

/**
 * The file descriptors learned from one server, fetched on demand by symbol (with every file
 * they import) and kept for the life of the connection.
 */
export class DescriptorPool {
  private readonly files = new Map<string, FileDescriptorProto>();
  private cachedRegistry: FileRegistry | undefined;
  private cachedTypeRegistry: { for: FileRegistry; registry: Registry } | undefined;
  /** Type names the server's reflection said it does not know. */
  private readonly unknownTypes = new Set<string>();

  constructor(private readonly reflection: ReflectionClient) {}

  /** Everything loaded so far, as a protobuf-es registry. */
  get registry(): FileRegistry {
    this.cachedRegistry ??= createFileRegistry(
      create(wkt.FileDescriptorSetSchema, { file: this.filesInDependencyOrder() }),
    );
    return this.cachedRegistry;
  }

  /**
   * What messages are converted with: the server's types, and the embedded google.rpc ones for
   * Any values the server's reflection does not describe (the server's win on a clash).
   */
  get typeRegistry(): Registry {
    const server = this.registry;
    if (this.cachedTypeRegistry?.for !== server) {
      this.cachedTypeRegistry = { for: server, registry: createRegistry(embeddedRegistry, server) };
    }
    return this.cachedTypeRegistry.registry;
  }

  /**
   * Loads the files defining message types named in Any values (`@type`), where the server
   * knows them. Unknown names and reflection failures are left for the JSON conversion to
   * report, naming the type.
   */
  async loadTypes(typeNames: Iterable<string>): Promise<void> {
    for (const typeName of new Set(typeNames)) {
      if (this.typeRegistry.getMessage(typeName) || this.unknownTypes.has(typeName)) continue;
      try {
        // Asked once: a stream of responses could otherwise ask for the same name each time.
        if (!(await this.loadSymbol(typeName))) this.unknownTypes.add(typeName);
      } catch {
        // The conversion's "not in the type registry" error names the type; that is clearer.
      }
    }
  }

  /**
   * Makes sure the file defining `symbol` (a service, method, message or enum full name) is
   * loaded. Resolves false when the server does not know the symbol.
   */
  async loadSymbol(symbol: string): Promise<boolean> {
    if (this.has(symbol)) return true;
    return this.reflection.withSession(async (session) => {
      const files = await session.fileContainingSymbol(symbol);
      if (!files) return false;
      const before = new Set(this.files.keys());
      try {
        this.addFiles(files);
        await this.loadImports(session);
      } catch (error) {
        // Never keep a file whose imports are missing: the registry could not be built.
        for (const name of this.files.keys()) if (!before.has(name)) this.files.delete(name);
        this.cachedRegistry = undefined;
        throw error;
      }
      return this.has(symbol);
    });
  }

  /** Service names the server lists (not cached: servers may change). */
  listServices(): Promise<string[]> {
    return this.reflection.withSession((session) => session.listServices());
  }

  /** A loaded service by full name. */
  findService(fullName: string): DescService | undefined {
    return this.registry.getService(fullName);
  }

  /** A loaded method by `package.Service.Method`. */
  findMethod(fullName: string): DescMethod | undefined {
    const dot = fullName.lastIndexOf(".");
    if (dot < 0) return undefined;
    const service = this.findService(fullName.slice(0, dot));
    return service?.methods.find((method) => method.name === fullName.slice(dot + 1));
  }

  private has(symbol: string): boolean {
    return this.registry.get(symbol) !== undefined || this.findMethod(symbol) !== undefined;
  }

  private addFiles(serialized: readonly Uint8Array[]): void {
    for (const bytes of serialized) {
      const file = fromBinary(wkt.FileDescriptorProtoSchema, bytes);
      if (this.files.has(file.name)) continue;
      this.files.set(file.name, file);
      this.cachedRegistry = undefined;
    }
  }

  /** Fetches imports the server did not send along, until every import is present. */
  private async loadImports(session: ReflectionSession): Promise<void> {
    for (;;) {
      const missing = this.missingImports();
      if (missing.length === 0) return;
      for (const { name, importedBy } of missing) {
        const files = await session.fileByFilename(name);
        if (files) {
          this.addFiles(files);
        }
        if (this.files.has(name)) continue;
        const bundled = BUNDLED_FILES.get(name);
        if (!bundled) {
          throw new DynamicClientError(
            "bad-descriptor",
            `the server's reflection did not provide ${name}, imported by ${importedBy}`,
          );
        }
        this.files.set(name, bundled);
        this.cachedRegistry = undefined;
      }
    }
  }

  private missingImports(): { name: string; importedBy: string }[] {
    const missing = new Map<string, string>();
    for (const file of this.files.values()) {
      for (const dependency of file.dependency) {
        if (!this.files.has(dependency) && !missing.has(dependency)) {
          missing.set(dependency, file.name);
        }
      }
    }
    return [...missing].map(([name, importedBy]) => ({ name, importedBy }));
  }

  /** Imports before importers, as createFileRegistry requires for a FileDescriptorSet. */
  private filesInDependencyOrder(): FileDescriptorProto[] {
    const ordered: FileDescriptorProto[] = [];
    const visited = new Set<string>();
    const visit = (file: FileDescriptorProto): void => {
      if (visited.has(file.name)) return;
      visited.add(file.name);
      for (const dependency of file.dependency) {
        const imported = this.files.get(dependency);
        if (imported) visit(imported);
      }
      ordered.push(file);
    };
    for (const file of this.files.values()) visit(file);
    return ordered;
  }
}
