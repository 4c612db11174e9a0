import type { WorkerSlot } from "@grpc-cfg/runtime";
import { familyHeader, sampleLine } from "./prometheus-text.js";

const RESTARTS = "grpc_cfg_worker_restarts_total";

/**
 * One worker's metrics text as part of a `serve --workers N` scrape: every sample gets a
 * `worker="<slot>"` label, and the slot's restart count is added. Labelling rather than adding
 * the workers up keeps each series one process's own: when a worker dies its replacement
 * starts the slot's counters from zero, which Prometheus reads as the counter reset it is,
 * where a sum would fall by the dead worker's counts and read as a reset of the whole
 * server. Texts must be in the form `render()` writes (no timestamps, no empty `{}`).
 */
export function labelWorkerText(text: string, worker: WorkerSlot): string {
  const label = `worker="${worker.slot}"`;
  let out = "";
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      out += `${line}\n`;
      continue;
    }
    const space = line.indexOf(" ");
    const brace = line.indexOf("{");
    // The name ends at the first `{` or space; label values come after it and may hold both.
    out +=
      brace !== -1 && brace < space
        ? `${line.slice(0, brace + 1)}${label},${line.slice(brace + 1)}\n`
        : `${line.slice(0, space)}{${label}}${line.slice(space)}\n`;
  }
  return (
    out +
    familyHeader(
      RESTARTS,
      "counter",
      "Times this worker slot's process died and was replaced by the primary.",
    ) +
    sampleLine(RESTARTS, { worker: String(worker.slot) }, worker.replacements)
  );
}
