// CPU time of processes on this machine, read from /proc (Linux only).
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ is 100 on every Linux this runs on; /proc/<pid>/stat fields 14 and 15 are in ticks.
const TICK_US = 10_000;

/** User + system CPU in a `/proc/<pid>/stat` text, in microseconds. */
function statMicros(stat) {
  // The command name (field 2) may hold spaces; count fields from after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/** User + system CPU of a process so far, in microseconds. */
export function cpuMicros(pid) {
  return statMicros(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** User + system CPU of every PostgreSQL process on this machine so far, in microseconds. */
export function postgresMicros() {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) === "postgres") {
        total += statMicros(stat);
      }
    } catch {
      // The process ended between listing and reading: its CPU is gone with it.
    }
  }
  return total;
}
