// A real gRPC server (nice-grpc on grpc-js, with reflection) for the wire-level tests of
// `grpc-cfg call`: 64-bit numbers, metadata of failing calls of every kind, and responses
// larger than grpc-js's 4 MiB receive limit. Its descriptors are built here, so the test needs
// no generated code.
import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { DescMessage, Message } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  file_google_protobuf_any,
  file_google_protobuf_struct,
} from "@bufbuild/protobuf/wkt";
import { ServerCredentials } from "@grpc/grpc-js";
import { createServer, ServerError } from "nice-grpc";
import type { CallContext, Server } from "nice-grpc";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";

export const LAB_SERVICE = "wirelab.v1.WireLab";

const field = (name: string, number: number, type: Type, extra: object = {}) => ({
  name,
  number,
  type,
  label: Label.OPTIONAL,
  jsonName: name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  ...extra,
});

const method = (name: string, input: string, output: string, client = false, server = false) => ({
  name,
  inputType: `.wirelab.v1.${input}`,
  outputType: `.wirelab.v1.${output}`,
  clientStreaming: client,
  serverStreaming: server,
});

const labFile = create(FileDescriptorProtoSchema, {
  name: "wirelab/v1/lab.proto",
  package: "wirelab.v1",
  syntax: "proto3",
  dependency: ["google/protobuf/struct.proto", "google/protobuf/any.proto"],
  messageType: [
    {
      name: "Numbers",
      field: [
        field("i64", 1, Type.INT64),
        field("u64", 2, Type.UINT64),
        field("d", 3, Type.DOUBLE),
        field("f", 4, Type.FLOAT),
        field("i32", 5, Type.INT32),
        field("val", 6, Type.MESSAGE, { typeName: ".google.protobuf.Value" }),
        field("list", 7, Type.INT64, { label: Label.REPEATED }),
        field("inner", 8, Type.MESSAGE, { typeName: ".wirelab.v1.Numbers" }),
        field("counts", 9, Type.MESSAGE, {
          typeName: ".wirelab.v1.Numbers.CountsEntry",
          label: Label.REPEATED,
        }),
        field("any", 10, Type.MESSAGE, { typeName: ".google.protobuf.Any" }),
      ],
      nestedType: [
        {
          name: "CountsEntry",
          field: [field("key", 1, Type.STRING), field("value", 2, Type.UINT64)],
          options: { mapEntry: true },
        },
      ],
    },
    {
      // What a call should do: fail with `code` (0: answer), answer with `size` bytes,
      // stream `count` answers, send the response headers before failing.
      name: "Order",
      field: [
        field("code", 1, Type.INT32),
        field("size", 2, Type.INT32),
        field("count", 3, Type.INT32),
        field("headers_first", 4, Type.BOOL),
      ],
    },
    {
      name: "Reply",
      field: [field("blob", 1, Type.BYTES), field("number", 2, Type.INT32)],
    },
  ],
  service: [
    {
      name: "WireLab",
      method: [
        method("Echo", "Numbers", "Numbers"),
        method("Answer", "Order", "Reply"),
        method("Collect", "Order", "Reply", true, false),
        method("Stream", "Order", "Reply", false, true),
        method("Chat", "Order", "Reply", true, true),
      ],
    },
  ],
});

const fileSet = create(FileDescriptorSetSchema, {
  file: [file_google_protobuf_struct.proto, file_google_protobuf_any.proto, labFile],
});
const registry = createFileRegistry(fileSet);

function schema(name: string): DescMessage {
  const found = registry.getMessage(`wirelab.v1.${name}`);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

const Numbers = schema("Numbers");
const OrderSchema = schema("Order");
const ReplySchema = schema("Reply");

interface Order {
  code: number;
  size: number;
  count: number;
  headersFirst: boolean;
}
interface Reply {
  blob: Uint8Array;
  number: number;
}

function io(input: DescMessage, output: DescMessage) {
  return {
    requestSerialize: (value: Message) => toBinary(input, value),
    requestDeserialize: (bytes: Uint8Array) => fromBinary(input, bytes),
    responseSerialize: (value: object) => toBinary(output, create(output, value) as Message),
    responseDeserialize: (bytes: Uint8Array) => fromBinary(output, bytes),
    options: {},
  };
}

function definition(
  name: string,
  input: DescMessage,
  output: DescMessage,
  kinds: [boolean, boolean],
) {
  return {
    path: `/${LAB_SERVICE}/${name}`,
    requestStream: kinds[0],
    responseStream: kinds[1],
    ...io(input, output),
  };
}

const WireLabDefinition = {
  echo: definition("Echo", Numbers, Numbers, [false, false]),
  answer: definition("Answer", OrderSchema, ReplySchema, [false, false]),
  collect: definition("Collect", OrderSchema, ReplySchema, [true, false]),
  stream: definition("Stream", OrderSchema, ReplySchema, [false, true]),
  chat: definition("Chat", OrderSchema, ReplySchema, [true, true]),
} as const;

/** Sets this call's metadata: `x-request-id` as a header, `x-lab-trailer` as a trailer. */
function mark(context: CallContext, name: string, order: Order): void {
  context.header.set("x-request-id", `req-${name}`);
  context.trailer.set("x-lab-trailer", `end-${name}`);
  if (order.headersFirst) context.sendHeader();
}

function reply(order: Order, number = 1): Reply {
  return { blob: new Uint8Array(order.size), number };
}

function failIfAsked(order: Order): void {
  if (order.code !== 0) throw new ServerError(order.code, `failed on purpose (${order.code})`);
}

/** A running lab server. */
export interface WireLabServer {
  address: string;
  close(): Promise<void>;
}

/** Mutual TLS: the server's certificate, and the CA its clients' certificates must come from. */
export interface LabTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Starts the lab server on 127.0.0.1 with a free port (plaintext unless `tls` is given). */
export async function startWireLabServer(tls?: LabTls): Promise<WireLabServer> {
  // grpc-js servers send messages of any size unless told otherwise.
  const server: Server = createServer();
  server.add(
    WireLabDefinition as never,
    {
      echo: (request: Message) => request,
      answer: (order: Order, context: CallContext) => {
        mark(context, "answer", order);
        failIfAsked(order);
        return reply(order);
      },
      collect: async (orders: AsyncIterable<Order>, context: CallContext) => {
        let last: Order = { code: 0, size: 0, count: 0, headersFirst: false };
        for await (const order of orders) last = order;
        mark(context, "collect", last);
        failIfAsked(last);
        return reply(last);
      },
      stream: async function* (order: Order, context: CallContext) {
        mark(context, "stream", order);
        for (let number = 1; number <= order.count; number++) yield reply(order, number);
        failIfAsked(order);
      },
      chat: async function* (orders: AsyncIterable<Order>, context: CallContext) {
        let number = 0;
        for await (const order of orders) {
          if (number === 0) mark(context, "chat", order);
          yield reply(order, ++number);
          failIfAsked(order);
        }
      },
    } as never,
  );
  server.add(
    ServerReflectionService,
    ServerReflection(toBinary(FileDescriptorSetSchema, fileSet), [LAB_SERVICE]),
  );
  const credentials = tls
    ? ServerCredentials.createSsl(tls.ca, [{ cert_chain: tls.cert, private_key: tls.key }], true)
    : ServerCredentials.createInsecure();
  const port = await server.listen("127.0.0.1:0", credentials);
  return { address: `127.0.0.1:${port}`, close: () => server.shutdown() };
}
