import type { AuthenticatedContext } from "@grpc-cfg/runtime";
import { EchoServiceBase } from "../gen/bench/v1/echo.grpc-cfg.js";
import type { EchoRequest, EchoResponse } from "../gen/bench/v1/echo.js";

/** The benchmark's echo service: as little handler work as possible, so the stack is measured. */
export class EchoService extends EchoServiceBase {
  async echo(request: EchoRequest, _ctx: AuthenticatedContext): Promise<EchoResponse> {
    return { text: request.text };
  }

  async *stream(request: EchoRequest, _ctx: AuthenticatedContext): AsyncIterable<EchoResponse> {
    for (let i = 0; i < request.count; i++) yield { text: request.text };
  }
}
