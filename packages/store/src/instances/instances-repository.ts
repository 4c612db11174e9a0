import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "@grpc-cfg/runtime";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { StoreError } from "../errors.js";
import { serverInstances } from "../schema/server-instances.js";

/** What a server says about itself when it starts. Unset fields default to this process. */
export interface RegisterInstanceInput {
  /** Default: `os.hostname()`. */
  readonly hostName?: string;
  /** Address the server listens on, e.g. `0.0.0.0` or `10.0.0.5`. */
  readonly address?: string | null;
  readonly port?: number | null;
  /** Default: `process.pid`. */
  readonly pid?: number;
  readonly version?: string | null;
  /** Fully qualified service names served. */
  readonly services?: readonly string[];
}

/** Lifecycle state a server reports. */
export type InstanceStatus = "running" | "stopping" | "stopped";

/** A server instance as read back, with staleness computed by the database clock. */
export interface ServerInstanceRecord {
  readonly id: string;
  readonly hostName: string;
  readonly address: string | null;
  readonly port: number | null;
  readonly pid: number;
  readonly version: string | null;
  readonly services: readonly string[];
  readonly startedAt: Date;
  readonly lastHeartbeatAt: Date;
  readonly status: InstanceStatus;
  readonly stoppedAt: Date | null;
  /** Milliseconds since the last heartbeat. */
  readonly heartbeatAgeMs: number;
  /**
   * True when the row says running or stopping but no heartbeat came for `staleAfterMs`: the
   * server died, possibly in the middle of its shutdown (a second Ctrl-C, the SIGKILL at the
   * end of a Kubernetes grace period). A draining server keeps heartbeating, so it stays fresh.
   */
  readonly stale: boolean;
  /**
   * True when the row is stopped but the process did not stop itself: another process saw
   * it exit and marked it ({@link InstancesRepository.markExited}, e.g. the `serve --workers`
   * primary for a worker killed with -9). A clean stop writes its last heartbeat and
   * `stoppedAt` together; a row marked for a dead process keeps its last heartbeat.
   */
  readonly exitedUncleanly: boolean;
}

/** Options for reading instances. */
export interface ListInstancesOptions {
  /** Heartbeat age after which a running or stopping instance counts as stale (default 30 000). */
  readonly staleAfterMs?: number;
  /** Include stopped instances (default true). */
  readonly includeStopped?: boolean;
}

/** Server instances sharing the database. Times come from the database clock, so hosts with skewed clocks agree. */
export class InstancesRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Inserts a running instance and returns it. */
  async register(input: RegisterInstanceInput = {}): Promise<ServerInstanceRecord> {
    const id = randomUUID();
    await this.#db.insert(serverInstances).values({
      id,
      hostName: input.hostName ?? hostname(),
      address: input.address ?? null,
      port: input.port ?? null,
      pid: input.pid ?? process.pid,
      version: input.version ?? null,
      services: [...(input.services ?? [])],
    });
    return this.get(id);
  }

  /** Records a heartbeat (database time). */
  async heartbeat(id: string): Promise<void> {
    await this.#db
      .update(serverInstances)
      .set({ lastHeartbeatAt: sql`now()` })
      .where(eq(serverInstances.id, id));
  }

  /** Sets the status; `stopped` also records when. */
  async setStatus(id: string, status: InstanceStatus): Promise<void> {
    await this.#db
      .update(serverInstances)
      .set({
        status,
        lastHeartbeatAt: sql`now()`,
        stoppedAt: status === "stopped" ? sql`now()` : null,
      })
      .where(eq(serverInstances.id, id));
  }

  /**
   * Marks the row of a process known to be gone (another process saw it exit: a cluster
   * primary, its worker) stopped, unless it already says so. Unlike a clean stop, the last
   * heartbeat is kept: `stoppedAt` after `lastHeartbeatAt` tells readers it was found dead
   * rather than stopped by itself. Resolves false when the row was already stopped (the
   * process stopped cleanly before it exited) or does not exist.
   */
  async markExited(id: string): Promise<boolean> {
    const rows = await this.#db
      .update(serverInstances)
      .set({ status: "stopped", stoppedAt: sql`now()` })
      .where(and(eq(serverInstances.id, id), ne(serverInstances.status, "stopped")))
      .returning({ id: serverInstances.id });
    return rows.length > 0;
  }

  /** One instance; throws `not-found`. */
  async get(id: string, options: ListInstancesOptions = {}): Promise<ServerInstanceRecord> {
    const [row] = await this.#select(options).where(eq(serverInstances.id, id));
    if (!row) throw new StoreError("not-found", `no server instance ${id}`);
    return row;
  }

  /** Instances, newest first. */
  async list(options: ListInstancesOptions = {}): Promise<ServerInstanceRecord[]> {
    const query = this.#select(options);
    const rows =
      options.includeStopped === false
        ? await query.where(ne(serverInstances.status, "stopped"))
        : await query;
    return rows;
  }

  #select(options: ListInstancesOptions) {
    const staleAfterMs = options.staleAfterMs ?? 30_000;
    if (!Number.isFinite(staleAfterMs) || staleAfterMs <= 0) {
      throw new StoreError("invalid-argument", "staleAfterMs must be a positive number");
    }
    const age = sql`(extract(epoch from (now() - ${serverInstances.lastHeartbeatAt})) * 1000)`;
    return this.#db
      .select({
        id: serverInstances.id,
        hostName: serverInstances.hostName,
        address: serverInstances.address,
        port: serverInstances.port,
        pid: serverInstances.pid,
        version: serverInstances.version,
        services: serverInstances.services,
        startedAt: serverInstances.startedAt,
        lastHeartbeatAt: serverInstances.lastHeartbeatAt,
        status: sql<InstanceStatus>`${serverInstances.status}`,
        stoppedAt: serverInstances.stoppedAt,
        heartbeatAgeMs: sql<number>`greatest(0, ${age})::float8`.mapWith(Number),
        stale: sql<boolean>`(${serverInstances.status} <> 'stopped' and ${age} > ${staleAfterMs})`,
        exitedUncleanly: sql<boolean>`coalesce(${serverInstances.status} = 'stopped'
          and ${serverInstances.stoppedAt} > ${serverInstances.lastHeartbeatAt}, false)`,
      })
      .from(serverInstances)
      .orderBy(desc(serverInstances.startedAt))
      .$dynamic();
  }
}
