import { fileURLToPath } from "node:url";

/**
 * Root of the protos this package ships: add it to a project's buf inputs so that
 * `import "grpc_cfg/v1/options.proto";` resolves.
 */
export const OPTIONS_PROTO_ROOT = fileURLToPath(new URL("../proto/", import.meta.url));

/** Path of the shipped options.proto. */
export const OPTIONS_PROTO_FILE = fileURLToPath(
  new URL("../proto/grpc_cfg/v1/options.proto", import.meta.url),
);

/** The plugin executable (committed launcher), for buf.gen.yaml `local:`. */
export const PLUGIN_BIN = fileURLToPath(new URL("../bin/protoc-gen-grpc-cfg.js", import.meta.url));
