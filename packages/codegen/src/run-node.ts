import { toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorResponseSchema } from "@bufbuild/protobuf/wkt";
import type { GrpcCfgPlugin } from "./plugin.js";

/**
 * Runs the plugin as a process: CodeGeneratorRequest on stdin, response on stdout (like
 * protoplugin's runNodeJs, but handing the plugin the raw bytes so it can slim them before
 * parsing). Exit code 1 with a message on stderr for internal errors.
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
    process.stderr.write(`${plugin.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
