import { toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import { CodegenError } from "./errors.js";
import type { GrpcCfgPlugin } from "./plugin.js";

/**
 * Runs the plugin as a process: CodeGeneratorRequest on stdin, response on stdout (like
 * protoplugin's runNodeJs, but handing the plugin the raw bytes so it can slim them before
 * parsing). Input problems in the protos go back in the response (buf prints them); an
 * unreadable request or an internal error exits 1 with a message on stderr.
 */
export async function runPluginProcess(plugin: GrpcCfgPlugin): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === "-v" || args[0] === "--version")) {
    process.stdout.write(`${plugin.name} ${plugin.version}\n`);
    return;
  }
  if (args.length !== 0) {
    process.stderr.write(
      `${plugin.name} is a protoc plugin: it reads a CodeGeneratorRequest on stdin (run it through buf generate)\n`,
    );
    process.exitCode = 1;
    return;
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const response = plugin.runBytes(Buffer.concat(chunks));
    const bytes = toBinary(CodeGeneratorResponseSchema, response);
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    // Expected failures get their message; anything else is a bug and gets its stack.
    const text =
      error instanceof CodegenError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`${plugin.name}: ${text}\n`);
    process.exitCode = 1;
  }
}
