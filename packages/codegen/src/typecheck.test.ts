import { createChannel, createClient, createServer } from "nice-grpc";
import type { Server } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "./generate.js";
import { ProtoWorkspace } from "./test-support/proto-workspace.js";

// Proves the generated handler shapes are usable: implementations type-check (and are
// assignable to nice-grpc's ServiceImplementation), broken ones do not, and a real
// nice-grpc server serves an implementation to a real client for all four call kinds.
const PROTOS = {
  "t/v1/t.proto": `
syntax = "proto3";
package t.v1;
import "grpc_cfg/v1/options.proto";
import "google/protobuf/empty.proto";
message Msg { string text = 1; int32 n = 2; }
// 64-bit integers: bigints with the pipeline's forceLong=bigint.
message Big { int64 signed = 1; uint64 unsigned = 2; map<int64, string> by_id = 3; sint64 small = 4; }
service Streams {
  rpc Unary(Msg) returns (Msg);
  rpc ServerStream(Msg) returns (stream Msg);
  rpc ClientStream(stream Msg) returns (Msg);
  rpc Bidi(stream Msg) returns (stream Msg);
  rpc Constructor(google.protobuf.Empty) returns (Msg);
  rpc Then(Msg) returns (Msg);
  rpc Echo64(Big) returns (Big);
}
service Secure {
  option (grpc_cfg.v1.service) = { base: BASE_KIND_AUTH_REQUIRED };
  rpc WhoAmI(google.protobuf.Empty) returns (Msg);
}
`,
};

const GOOD = `
import type { ServiceImplementation } from "nice-grpc";
import type { AuthenticatedContext, DeepPartial, ServiceContext } from "@grpc-cfg/runtime";
import { SecureBase, StreamsBase } from "./gen/t/v1/t.grpc-cfg.js";
import type {
  Big,
  DeepPartial as TsProtoDeepPartial,
  Msg,
  SecureDefinition,
  StreamsDefinition,
} from "./gen/t/v1/t.js";

export class StreamsImpl extends StreamsBase {
  async unary(request: Msg): Promise<Partial<Msg>> {
    return { text: request.text.toUpperCase(), n: request.n + 1 };
  }
  async *serverStream(request: Msg, context: ServiceContext): AsyncIterable<Partial<Msg>> {
    for (let i = 0; i < request.n && !context.signal.aborted; i++) yield { text: request.text, n: i };
  }
  async clientStream(requests: AsyncIterable<Msg>) {
    let n = 0;
    let text = "";
    for await (const r of requests) { n += r.n; text += r.text; }
    return { text, n };
  }
  async *bidi(requests: AsyncIterable<Msg>) {
    for await (const r of requests) yield { text: r.text + "!", n: r.n * 2 };
  }
  async handleConstructor() {
    return { text: "renamed" };
  }
  async handleThen(request: Msg) {
    return { text: \`then \${request.text}\` };
  }
  // A 64-bit field is a bigint, and a result may give it as a bigint, a string or a number.
  async echo64(request: Big) {
    const signed: bigint = request.signed;
    return { signed, unsigned: request.unsigned.toString(), byId: request.byId, small: 7 };
  }
}

// The runtime's DeepPartial and ts-proto's are mutually assignable, 64-bit fields included.
export const ours = (value: TsProtoDeepPartial<Big>): DeepPartial<Big> => value;
export const theirs = (value: DeepPartial<Big>): TsProtoDeepPartial<Big> => value;

export class SecureImpl extends SecureBase {
  // AuthenticatedContext: user is non-null without a check.
  async whoAmI(_request: unknown, context: AuthenticatedContext) {
    return { text: context.user.username };
  }
}

/** nice-grpc's own type accepts the handlers, keyed by definition key. */
export function streamsImplementation(
  impl: StreamsImpl,
): ServiceImplementation<typeof StreamsDefinition, AuthenticatedContext> {
  return {
    unary: impl.unary.bind(impl),
    serverStream: impl.serverStream.bind(impl),
    clientStream: impl.clientStream.bind(impl),
    bidi: impl.bidi.bind(impl),
    constructor: impl.handleConstructor.bind(impl),
    then: impl.handleThen.bind(impl),
    echo64: impl.echo64.bind(impl),
  };
}

export function secureImplementation(
  impl: SecureImpl,
): ServiceImplementation<typeof SecureDefinition, AuthenticatedContext> {
  return { whoAmI: impl.whoAmI.bind(impl) };
}
`;

const BAD: Record<string, { code: string; source: string }> = {
  "bad-missing.ts": {
    code: "TS2515", // non-abstract class does not implement inherited abstract member
    source: `
import { StreamsBase } from "./gen/t/v1/t.grpc-cfg.js";
export class Missing extends StreamsBase {
  async unary() { return {}; }
  async *serverStream() {}
  async clientStream() { return {}; }
  async handleConstructor() { return {}; }
  async handleThen() { return {}; }
  async echo64() { return {}; }
}`,
  },
  "bad-return.ts": {
    code: "TS2416", // property not assignable to the same property in base type
    source: `
import { StreamsBase } from "./gen/t/v1/t.grpc-cfg.js";
export abstract class WrongReturn extends StreamsBase {
  async unary() { return { text: 42 }; }
}`,
  },
  "bad-stream.ts": {
    code: "TS2416",
    source: `
import { StreamsBase } from "./gen/t/v1/t.grpc-cfg.js";
export abstract class NotAStream extends StreamsBase {
  async serverStream() { return { text: "one" }; }
}`,
  },
  "bad-nullable-user.ts": {
    code: "TS18047", // 'context.user' is possibly 'null'
    source: `
import type { ServiceContext } from "@grpc-cfg/runtime";
import { StreamsBase } from "./gen/t/v1/t.grpc-cfg.js";
export abstract class Anonymous extends StreamsBase {
  async unary(_r: unknown, context: ServiceContext) { return { text: context.user.username }; }
}`,
  },
};

let ws: ProtoWorkspace;
let diagnostics: string[];

beforeAll(async () => {
  ws = ProtoWorkspace.create(PROTOS);
  ws.writeOutputs(generate(await ws.request()));
  await ws.runTsProto();
  ws.write("good.ts", GOOD);
  for (const [name, { source }] of Object.entries(BAD)) ws.write(name, source);
  // tsc follows the imports into gen/ (ts-proto's and our output).
  diagnostics = await ws.typeCheck(["good.ts", ...Object.keys(BAD)]);
});
afterAll(() => ws?.dispose());

describe("generated handler shapes", () => {
  it("accept a complete implementation, assignable to nice-grpc's ServiceImplementation", () => {
    expect(diagnostics.filter((d) => !Object.keys(BAD).some((b) => d.startsWith(b)))).toEqual([]);
  });

  for (const [name, { code }] of Object.entries(BAD)) {
    it(`reject ${name.replace(/^bad-|\.ts$/g, "")} (${code})`, () => {
      const mine = diagnostics.filter((d) => d.startsWith(name));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((d) => d.includes(`error ${code}:`))).toBe(true);
    });
  }

  it("name the missing method when one is not implemented", () => {
    expect(diagnostics.find((d) => d.startsWith("bad-missing.ts"))).toMatch(
      /abstract member '?bidi'? from class 'StreamsBase'/,
    );
  });

  it("route rpc Then to handleThen: instances are no thenables, an async factory resolves", async () => {
    const generated = (await import(`${ws.genDir}/t/v1/t.grpc-cfg.ts`)) as {
      StreamsBase: { methods: Record<string, { handler: string }> };
    };
    expect(generated.StreamsBase.methods["Then"]?.handler).toBe("handleThen");
    const good = (await import(`${ws.dir}/good.ts`)) as GoodModule;
    const make = async (): Promise<object> => new good.StreamsImpl();
    const settled = await Promise.race([
      make(),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 2_000)),
    ]);
    expect(settled).toBeInstanceOf(good.StreamsImpl);
  });

  describe("served by a real nice-grpc server", () => {
    let server: Server;
    let address: string;
    beforeAll(async () => {
      const good = (await import(`${ws.dir}/good.ts`)) as GoodModule;
      const t = (await import(`${ws.genDir}/t/v1/t.ts`)) as TsProtoModule;
      server = createServer();
      server.add(
        t.StreamsDefinition as never,
        good.streamsImplementation(new good.StreamsImpl()) as never,
      );
      address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
    });
    afterAll(async () => server?.shutdown());

    it("answers all four call kinds and the renamed rpc", async () => {
      const t = (await import(`${ws.genDir}/t/v1/t.ts`)) as TsProtoModule;
      const channel = createChannel(address);
      const client = createClient(t.StreamsDefinition as never, channel) as StreamsClient;
      try {
        expect(await client.unary({ text: "hi", n: 1 })).toEqual({ text: "HI", n: 2 });
        const streamed = [];
        for await (const m of client.serverStream({ text: "s", n: 3 })) streamed.push(m.n);
        expect(streamed).toEqual([0, 1, 2]);
        async function* three() {
          yield { text: "a", n: 1 };
          yield { text: "b", n: 2 };
          yield { text: "c", n: 3 };
        }
        expect(await client.clientStream(three())).toEqual({ text: "abc", n: 6 });
        const echoed = [];
        for await (const m of client.bidi(three())) echoed.push(`${m.text}${m.n}`);
        expect(echoed).toEqual(["a!2", "b!4", "c!6"]);
        expect(await client.constructor({})).toEqual({ text: "renamed", n: 0 });
        expect(await client.then({ text: "x" })).toEqual({ text: "then x", n: 0 });
        const extremes = {
          signed: -9223372036854775808n,
          unsigned: 18446744073709551615n,
          byId: new Map([[9007199254740993n, "past 2^53"]]),
        };
        expect(await client.echo64(extremes)).toEqual({ ...extremes, small: 7n });
      } finally {
        channel.close();
      }
    });
  });
});

// Shapes of the modules generated at test time (imported dynamically, so typed by hand).
interface GoodModule {
  StreamsImpl: new () => object;
  streamsImplementation(impl: object): object;
}
interface TsProtoModule {
  StreamsDefinition: object;
}
interface Msg {
  text: string;
  n: number;
}
interface StreamsClient {
  unary(m: Partial<Msg>): Promise<Msg>;
  serverStream(m: Partial<Msg>): AsyncIterable<Msg>;
  clientStream(m: AsyncIterable<Partial<Msg>>): Promise<Msg>;
  bidi(m: AsyncIterable<Partial<Msg>>): AsyncIterable<Msg>;
  constructor(m: object): Promise<Msg>;
  then(m: Partial<Msg>): Promise<Msg>;
  echo64(m: object): Promise<object>;
}
