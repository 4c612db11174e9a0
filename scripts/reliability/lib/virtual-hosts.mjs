// "Separate hosts" on one machine for the multi-host scenario: each is a network namespace
// with a veth pair to the root namespace on a /24 of its own (root side .1, host side .2),
// and each process started in it gets a UTS namespace with the host's name. Hosts reach the
// root namespace (where PostgreSQL and the test client run) over their veth; they have no
// route to each other. Needs root and iproute2 + util-linux (`ip netns`, `unshare`).
import { execFileSync } from "node:child_process";

const PREFIX = "gcfg-rel-";

const run = (command, args) =>
  execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Why virtual hosts cannot be made here (a sentence), or null when they can. */
export function virtualHostsUnsupported() {
  if (process.getuid?.() !== 0) return "needs root (ip netns, veth pairs, pg_createcluster)";
  for (const [command, args] of [
    ["ip", ["netns", "list"]],
    ["unshare", ["--version"]],
    ["pg_lsclusters", ["-h"]],
  ]) {
    try {
      run(command, args);
    } catch (error) {
      return `\`${command} ${args.join(" ")}\` failed: ${firstLine(error)}`;
    }
  }
  return null;
}

/**
 * Deletes namespaces left by earlier runs that were killed before their cleanup (names
 * `gcfg-rel-<pid>-…` whose pid is gone) and the processes still running in them (servers
 * that run was serving); deleting a namespace deletes its veth pair too. Returns the names.
 */
export function removeStaleHosts() {
  const stale = run("ip", ["netns", "list"])
    .split("\n")
    .map((line) => line.split(/\s+/)[0])
    .filter((ns) => ns?.startsWith(PREFIX))
    .filter((ns) => !alive(Number(ns.slice(PREFIX.length).split("-")[0])));
  for (const ns of stale) {
    killInside(ns);
    run("ip", ["netns", "delete", ns]);
  }
  return stale;
}

/**
 * A set of virtual hosts for this process. `add(label, subnet)` makes host `label` on
 * `10.231.<subnet>.0/24` and returns `{ label, ns, hostName, rootIp, ip, cidr }`;
 * `removeAll()` kills what still runs in them and deletes every namespace made (push it onto
 * the scenario's cleanups before the first add).
 */
export function virtualHosts() {
  const hosts = [];
  return {
    hosts,
    add(label, subnet) {
      const ns = `${PREFIX}${process.pid}-${label}`;
      // Interface names are limited to 15 characters.
      const rootIf = `gcr${process.pid}${label}`.slice(0, 15);
      const hostIf = `gch${process.pid}${label}`.slice(0, 15);
      const host = {
        label,
        ns,
        hostName: `rel-host-${label}-${process.pid}`,
        rootIp: `10.231.${subnet}.1`,
        ip: `10.231.${subnet}.2`,
        cidr: `10.231.${subnet}.0/24`,
      };
      run("ip", ["netns", "add", ns]);
      hosts.push(host);
      run("ip", ["link", "add", rootIf, "type", "veth", "peer", "name", hostIf]);
      run("ip", ["link", "set", hostIf, "netns", ns]);
      run("ip", ["addr", "add", `${host.rootIp}/24`, "dev", rootIf]);
      run("ip", ["link", "set", rootIf, "up"]);
      inHost(host, "ip", ["addr", "add", `${host.ip}/24`, "dev", hostIf]);
      inHost(host, "ip", ["link", "set", hostIf, "up"]);
      inHost(host, "ip", ["link", "set", "lo", "up"]);
      return host;
    },
    removeAll() {
      for (const host of hosts.splice(0)) {
        try {
          killInside(host.ns);
          run("ip", ["netns", "delete", host.ns]);
        } catch (error) {
          process.stderr.write(`cannot delete namespace ${host.ns}: ${firstLine(error)}\n`);
        }
      }
    },
  };
}

/** Runs `command args` inside `host`'s network namespace; returns stdout, throws on failure. */
export function inHost(host, command, args) {
  return run("ip", ["netns", "exec", host.ns, command, ...args]);
}

/**
 * The command prefix that runs a program as `host`: in its network namespace, in a UTS
 * namespace of its own named `host.hostName`. Every step execs the next one, so the pid of
 * the spawned process is the program's pid and signals reach it.
 */
export function hostLauncher(host) {
  return [
    ...["ip", "netns", "exec", host.ns, "unshare", "--uts"],
    ...["sh", "-c", 'hostname "$0" && exec "$@"', host.hostName],
  ];
}

/**
 * SIGKILLs what still runs in namespace `ns` (only this scenario starts processes there; by
 * the time this runs they have had their SIGTERM), so no server outlives its host.
 */
function killInside(ns) {
  for (const pid of run("ip", ["netns", "pids", ns]).split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function firstLine(error) {
  const text = error?.stderr?.toString().trim() || (error instanceof Error ? error.message : "");
  return text.split("\n")[0];
}
