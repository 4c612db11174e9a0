// The store's background reports go to the server's log (JSON lines, at its level), not to a
// text logger of their own that only knows warnings: "pruned old request logs" is at info.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createJsonLogger } from "@grpc-cfg/runtime";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { afterAll, expect, it } from "vitest";
import { logRecord } from "../../../store/src/testdata/log-records.js";
import { startStack } from "./start-stack.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-stack-log-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("logs the retention pruning at info, as a JSON line of the store", async () => {
  const seed = await openStore({ dataDir, logger: silentLogger });
  const writer = seed.createRequestLogSink();
  writer.write(logRecord({ startedAt: new Date(Date.now() - 45 * 86_400_000) }));
  await writer.close();
  await seed.close();

  const lines: string[] = [];
  const stack = await startStack({
    cwd: shopDir,
    logger: createJsonLogger({ level: "info", write: (line) => lines.push(line) }),
    overrides: {
      server: { host: "127.0.0.1", port: 0 },
      monitor: { enabled: false },
      database: { dataDir },
      logging: { retentionDays: 30 },
    },
  });
  try {
    const pruned = () =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry["msg"] === "pruned old request logs");
    for (let i = 0; i < 100 && !pruned(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pruned()).toMatchObject({ level: "info", component: "store", deleted: 1, days: 30 });
  } finally {
    await stack.stop();
  }
}, 60_000);
