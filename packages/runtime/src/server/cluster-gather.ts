import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { currentWorkerSlot, type WorkerSlot } from "./worker-slot.js";

/**
 * Cluster-wide answers for figures each process keeps for itself (Prometheus metrics): with
 * `serve --workers N` the primary hands each connection to one worker, so a scrape reaches one
 * process, and a scraper would see counters jump between workers. The worker that takes the
 * request asks the primary, which asks every worker and returns all their answers.
 */

type GatherMessage =
  | { readonly type: "grpc-cfg:gather"; readonly id: number; readonly topic: string }
  | { readonly type: "grpc-cfg:collect"; readonly id: number; readonly topic: string }
  | {
      readonly type: "grpc-cfg:collected";
      readonly id: number;
      readonly answer: ClusterAnswer | null;
    }
  | {
      readonly type: "grpc-cfg:gathered";
      readonly id: number;
      readonly answers: ClusterAnswer[];
      /** Whether every worker asked answered in time. */
      readonly complete: boolean;
    };

function isGatherMessage(value: unknown): value is GatherMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return (
    type === "grpc-cfg:gather" ||
    type === "grpc-cfg:collect" ||
    type === "grpc-cfg:collected" ||
    type === "grpc-cfg:gathered"
  );
}

const providers = new Map<string, () => string | Promise<string>>();
const pending = new Map<number, (answer: ClusterAnswers) => void>();
let nextId = 1;
let listening = false;

// In a worker: answer the primary's collect requests and receive gathered answers.
function listenInWorker(): void {
  if (listening || !cluster.isWorker) return;
  listening = true;
  process.on("message", (message: unknown) => {
    if (!isGatherMessage(message)) return;
    if (message.type === "grpc-cfg:gathered") {
      pending.get(message.id)?.({ answers: message.answers, complete: message.complete });
      pending.delete(message.id);
    } else if (message.type === "grpc-cfg:collect") {
      const provide = providers.get(message.topic);
      void Promise.resolve(provide ? provide() : null)
        .catch(() => null)
        .then((value) =>
          process.send?.({
            type: "grpc-cfg:collected",
            id: message.id,
            answer: value === null ? null : { value, worker: currentWorkerSlot() },
          } satisfies GatherMessage),
        );
    }
  });
}

/**
 * Makes this process answer `topic` for {@link gatherFromCluster}. Returns a function that
 * withdraws it.
 */
export function provideToCluster(
  topic: string,
  provide: () => string | Promise<string>,
): () => void {
  providers.set(topic, provide);
  listenInWorker();
  return () => {
    if (providers.get(topic) === provide) providers.delete(topic);
  };
}

/** One process's answer. */
export interface ClusterAnswer {
  readonly value: string;
  /** The worker's slot under `runWorkers`; null for a process that is not such a worker. */
  readonly worker: WorkerSlot | null;
}

/** What {@link gatherFromCluster} collected. */
export interface ClusterAnswers {
  readonly answers: readonly ClusterAnswer[];
  /**
   * False when a worker (or the primary) did not answer in time: `answers` then lacks its
   * answer, and a sum over them would be too low.
   */
  readonly complete: boolean;
}

/**
 * Every process's answer to `topic`: in a cluster worker, those of all serving workers
 * (through the primary; a worker that does not answer within a second is left out and the
 * result marked incomplete, as it is when the primary does not answer within `timeoutMs`);
 * elsewhere just `local()`.
 */
export async function gatherFromCluster(
  topic: string,
  local: () => string | Promise<string>,
  timeoutMs = 2_000,
): Promise<ClusterAnswers> {
  const own = async (): Promise<ClusterAnswer> => ({
    value: await local(),
    worker: currentWorkerSlot(),
  });
  if (!cluster.isWorker || !process.send || !process.connected) {
    return { answers: [await own()], complete: true };
  }
  listenInWorker();
  const id = nextId++;
  const answer = await new Promise<ClusterAnswers | null>((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve(null);
    }, timeoutMs);
    pending.set(id, (gathered) => {
      clearTimeout(timer);
      resolve(gathered);
    });
    process.send?.({ type: "grpc-cfg:gather", id, topic } satisfies GatherMessage);
  });
  return answer ?? { answers: [await own()], complete: false };
}

/**
 * In the primary: answers `worker`'s gather requests by collecting from the workers that
 * `serving()` lists. Call it for each worker the primary starts.
 */
export function answerGatherRequests(
  worker: Worker,
  serving: () => readonly Worker[],
  collectTimeoutMs = 1_000,
): void {
  worker.on("message", (message: unknown) => {
    if (!isGatherMessage(message) || message.type !== "grpc-cfg:gather") return;
    const targets = serving().filter((w) => w.isConnected());
    void Promise.all(targets.map((w) => collect(w, message.topic, collectTimeoutMs))).then(
      (collected) => {
        const answers = collected.filter((answer): answer is ClusterAnswer => !!answer);
        const complete = collected.every((answer) => answer !== undefined);
        if (worker.isConnected()) {
          worker.send({
            type: "grpc-cfg:gathered",
            id: message.id,
            answers,
            complete,
          } satisfies GatherMessage);
        }
      },
    );
  });
}

let nextCollectId = 1;

/** The worker's answer; null when it has none for `topic`, undefined when it did not answer. */
function collect(
  worker: Worker,
  topic: string,
  timeoutMs: number,
): Promise<ClusterAnswer | null | undefined> {
  const id = nextCollectId++;
  return new Promise((resolve) => {
    const done = (value: ClusterAnswer | null | undefined) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("exit", onExit);
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const onMessage = (message: unknown) => {
      if (isGatherMessage(message) && message.type === "grpc-cfg:collected" && message.id === id)
        done(message.answer);
    };
    // A worker that exits meanwhile has nothing left to count.
    const onExit = () => done(null);
    worker.on("message", onMessage);
    worker.on("exit", onExit);
    worker.send({ type: "grpc-cfg:collect", id, topic } satisfies GatherMessage);
  });
}
