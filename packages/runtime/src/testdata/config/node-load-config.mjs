// Runs loadConfig in a plain Node process (no vitest, which loads modules its own way) through
// the built runtime, so config files load as `grpc-cfg` loads them: TypeScript through tsx.
// Prints the outcome as one JSON line. Used by load-config-files.test.ts.
//
//   node node-load-config.mjs <project folder> [config file]
import { loadConfig } from "../../../dist/index.js";

const [root, configFile] = process.argv.slice(2);
try {
  const config = await loadConfig(root, {}, { env: {}, ...(configFile ? { configFile } : {}) });
  console.log(
    JSON.stringify({ ok: true, port: config.server.port, configFile: config.configFile }),
  );
} catch (error) {
  const { name, message, issues, source } = error;
  console.log(JSON.stringify({ ok: false, name, message, issues, source }));
}
