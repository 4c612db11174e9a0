/**
 * The files reflection serves, parsed once: each file's original bytes (served as they are, so
 * options and unknown fields survive) and maps from file name, symbol and extension to file.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type {
  DescriptorProto,
  EnumDescriptorProto,
  FieldDescriptorProto,
  FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** One served file. */
export interface IndexedFile {
  readonly name: string;
  /** The `FileDescriptorProto` exactly as it appears in the descriptor set. */
  readonly bytes: Uint8Array;
  /** Names of the files it imports, in declaration order. */
  readonly dependencies: readonly string[];
}

/** Names a file declares, as protobuf scopes them. */
interface FileSymbols {
  readonly symbols: string[];
  /** `[extendee full name, field number]` of every extension the file declares. */
  readonly extensions: [string, number][];
}

/** Files, symbols and extensions of descriptor sets; the first definition of a name wins. */
export class DescriptorIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly symbols = new Map<string, IndexedFile>();
  private readonly extensions = new Map<string, Map<number, IndexedFile>>();

  /** Indexes every file of a serialized `FileDescriptorSet` (the app's own set). */
  addSet(set: Uint8Array): void {
    for (const bytes of splitFileDescriptorSet(set)) {
      const proto = fromBinary(FileDescriptorProtoSchema, bytes);
      if (!this.files.has(proto.name)) this.add(proto, bytes);
    }
  }

  /**
   * Indexes the files of `set` the index lacks, for well-known files served beside the app's:
   * a file is skipped when its name is already served, when one of its symbols is already
   * defined (the app vendors it under another path), or when an import of it was skipped for
   * that reason. The set must list imports before importers, as `buf build` writes it.
   */
  addMissing(set: Uint8Array): void {
    for (const bytes of splitFileDescriptorSet(set)) {
      const proto = fromBinary(FileDescriptorProtoSchema, bytes);
      if (this.files.has(proto.name)) continue;
      if (!proto.dependency.every((name) => this.files.has(name))) continue;
      if (collectSymbols(proto).symbols.some((symbol) => this.symbols.has(symbol))) continue;
      this.add(proto, bytes);
    }
  }

  /** The file called `name`. */
  file(name: string): IndexedFile | undefined {
    return this.files.get(name);
  }

  /** The file declaring `symbol` (a message, field, oneof, enum, enum value, service, …). */
  fileOfSymbol(symbol: string): IndexedFile | undefined {
    return this.symbols.get(symbol);
  }

  /** The file declaring extension `number` of message `extendee`. */
  fileOfExtension(extendee: string, number: number): IndexedFile | undefined {
    return this.extensions.get(extendee)?.get(number);
  }

  /** Field numbers of the known extensions of `extendee`, ascending. */
  extensionNumbers(extendee: string): number[] {
    return [...(this.extensions.get(extendee)?.keys() ?? [])].sort((a, b) => a - b);
  }

  private add(proto: FileDescriptorProto, bytes: Uint8Array): void {
    const file: IndexedFile = { name: proto.name, bytes, dependencies: proto.dependency };
    this.files.set(file.name, file);
    const { symbols, extensions } = collectSymbols(proto);
    for (const symbol of symbols) if (!this.symbols.has(symbol)) this.symbols.set(symbol, file);
    for (const [extendee, number] of extensions) {
      let numbers = this.extensions.get(extendee);
      if (!numbers) this.extensions.set(extendee, (numbers = new Map()));
      if (!numbers.has(number)) numbers.set(number, file);
    }
  }
}

/**
 * The `file` entries of a serialized `FileDescriptorSet`, as views into `set` (not copies,
 * not re-encoded). Fields other than `file` (1) are skipped.
 */
export function splitFileDescriptorSet(set: Uint8Array): Uint8Array[] {
  const reader = new BinaryReader(set);
  const files: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) files.push(reader.bytes());
    else reader.skip(wireType, field);
  }
  return files;
}

/**
 * Every full name `proto` declares. Enum values are scoped as siblings of their enum
 * (`pkg.Color` declares `pkg.RED`), as protobuf and grpc-go's registry scope them.
 */
function collectSymbols(proto: FileDescriptorProto): FileSymbols {
  const out: FileSymbols = { symbols: [], extensions: [] };
  const scope = proto.package === "" ? "" : `${proto.package}.`;
  for (const message of proto.messageType) collectMessage(message, scope, out);
  for (const e of proto.enumType) collectEnum(e, scope, out);
  collectExtensions(proto.extension, scope, out);
  for (const service of proto.service) {
    const name = scope + service.name;
    out.symbols.push(name);
    for (const method of service.method) out.symbols.push(`${name}.${method.name}`);
  }
  return out;
}

function collectMessage(message: DescriptorProto, scope: string, out: FileSymbols): void {
  const name = scope + message.name;
  out.symbols.push(name);
  const inner = `${name}.`;
  for (const field of message.field) out.symbols.push(inner + field.name);
  for (const oneof of message.oneofDecl) out.symbols.push(inner + oneof.name);
  for (const nested of message.nestedType) collectMessage(nested, inner, out);
  for (const e of message.enumType) collectEnum(e, inner, out);
  collectExtensions(message.extension, inner, out);
}

function collectEnum(e: EnumDescriptorProto, scope: string, out: FileSymbols): void {
  out.symbols.push(scope + e.name);
  for (const value of e.value) out.symbols.push(scope + value.name);
}

function collectExtensions(
  extensions: readonly FieldDescriptorProto[],
  scope: string,
  out: FileSymbols,
): void {
  for (const extension of extensions) {
    out.symbols.push(scope + extension.name);
    // Linked descriptors name the extendee fully qualified with a leading dot.
    out.extensions.push([extension.extendee.replace(/^\./, ""), extension.number]);
  }
}
