// protoc-gen-grpc-cfg: reads a CodeGeneratorRequest on stdin, writes the response on stdout.
// Started through the committed launcher bin/protoc-gen-grpc-cfg.js.
import { createPlugin } from "../plugin.js";
import { runPluginProcess } from "../run-node.js";

await runPluginProcess(createPlugin());
