import { Server, status as Status } from "@grpc/grpc-js";
import type { ServerInterceptor } from "@grpc/grpc-js";

// grpc-js answers a call to a method no service registered in `Server._respondWithError`,
// before any interceptor runs, so such calls (a client on the wrong version, a scanner
// probing for methods) never reached the request log. grpc-js has no hook for them (grpc-go
// has UnknownServiceHandler). So `_retrieveHandler`, which grpc-js asks for a path's handler,
// is wrapped once: for a server that carries a marked interceptor, an unknown path gets a
// handler that answers UNIMPLEMENTED with grpc-js's own wording, and the call passes through
// the interceptors like any other. Other grpc-js servers in the process are left alone.

/** grpc-js's handler record (what `Server.register` stores), as far as it is used here. */
interface GrpcHandler {
  readonly type: "bidi";
  readonly path: string;
  serialize(value: Buffer): Buffer;
  deserialize(bytes: Buffer): Buffer;
  func(stream: { emit(event: "error", error: { code: number; details: string }): boolean }): void;
}

type RetrieveHandler = (this: ServerWithInterceptors, path: string) => unknown;
type ServerWithInterceptors = { readonly interceptors?: readonly unknown[] };

const marked = new WeakSet<ServerInterceptor>();
let patched = false;

function unknownMethodHandler(path: string): GrpcHandler {
  return {
    // Bidi: answered as soon as the headers arrive, whatever the client meant to send.
    type: "bidi",
    path,
    serialize: (value) => value,
    deserialize: (bytes) => bytes,
    func(stream) {
      // grpc-js's documented way for a streaming handler to end its call with an error.
      stream.emit("error", {
        code: Status.UNIMPLEMENTED,
        details: `The server does not implement the method ${path}`,
      });
    },
  };
}

/**
 * Routes calls to unknown methods of every grpc-js server that has `interceptor` through its
 * interceptors (answered UNIMPLEMENTED, as before). Changes nothing when this grpc-js has no
 * `_retrieveHandler` to wrap (tested against grpc-js 1.14): unknown methods then go unlogged,
 * and unhandled-calls.test.ts fails.
 */
export function interceptUnknownMethods(interceptor: ServerInterceptor): void {
  const proto = Server.prototype as unknown as { _retrieveHandler?: RetrieveHandler };
  const original = proto._retrieveHandler;
  if (typeof original !== "function") return;
  marked.add(interceptor);
  if (patched) return;
  patched = true;
  proto._retrieveHandler = function (this: ServerWithInterceptors, path: string) {
    const handler = original.call(this, path);
    if (handler !== null && handler !== undefined) return handler;
    const ours = this.interceptors?.some((i) => marked.has(i as ServerInterceptor)) === true;
    return ours ? unknownMethodHandler(path) : handler;
  };
}
