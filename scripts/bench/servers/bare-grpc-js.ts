// Baseline: the same echo service on bare @grpc/grpc-js, loaded from the descriptor set.
import grpc from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { descriptorSet } from "../app/src/gen/grpc-cfg.descriptor.js";

interface Echo {
  text: string;
  count: number;
}
const definition = loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSet));
const service = definition["bench.v1.EchoService"] as grpc.ServiceDefinition;
const server = new grpc.Server();
server.addService(service, {
  Echo(call: grpc.ServerUnaryCall<Echo, Echo>, callback: grpc.sendUnaryData<{ text: string }>) {
    callback(null, { text: call.request.text });
  },
  Stream(call: grpc.ServerWritableStream<Echo, { text: string }>) {
    for (let i = 0; i < call.request.count; i++) call.write({ text: call.request.text });
    call.end();
  },
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`listening on 127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
