// Regenerates gen/ (ts-proto messages and definitions; protoc-gen-grpc-cfg base classes,
// manifest and descriptor set) from proto/ with the real buf. Build packages/codegen first.
// Run from anywhere: node packages/runtime/src/testdata/regenerate.mjs
// proto/grpc_cfg is a symlink to the repository's proto/grpc_cfg (the custom options).
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const buf = join(here, "../../../../node_modules/.bin/buf");
execFileSync(buf, ["generate"], { cwd: here, stdio: "inherit" });
