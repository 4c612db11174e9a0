// Baseline: the same echo service on bare nice-grpc (no middleware, no auth, no logging).
import { createServer } from "nice-grpc";
import { EchoServiceDefinition } from "../app/src/gen/bench/v1/echo.js";
import type { EchoRequest } from "../app/src/gen/bench/v1/echo.js";

const server = createServer();
server.add(EchoServiceDefinition, {
  async echo(request: EchoRequest) {
    return { text: request.text };
  },
  async *stream(request: EchoRequest) {
    for (let i = 0; i < request.count; i++) yield { text: request.text };
  },
});
const port = await server.listen("127.0.0.1:0");
process.stdout.write(`listening on 127.0.0.1:${port}\n`);
process.once("SIGTERM", () => void server.shutdown().then(() => process.exit(0)));
