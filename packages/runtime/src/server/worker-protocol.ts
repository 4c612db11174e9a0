import type { Worker } from "node:cluster";
import type { ListenAddress } from "./create-server.js";

/** The messages the primary and its workers exchange over cluster IPC. */
export type WorkerMessage =
  | { readonly type: "grpc-cfg:listening"; readonly address: ListenAddress }
  | { readonly type: "grpc-cfg:failed"; readonly message: string }
  | { readonly type: "grpc-cfg:instance"; readonly id: string }
  | { readonly type: "grpc-cfg:stop"; readonly reason: string };

/** Whether an IPC message is one of ours (other code may use the channel too). */
export function isMessage(value: unknown): value is WorkerMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    String((value as { type?: unknown }).type).startsWith("grpc-cfg:")
  );
}

/** Workers that reported listening: only those have a handler for the stop message. */
export const listening = new WeakSet<Worker>();

/**
 * A worker that was serving and stopped gracefully (it disconnected first: on the primary's
 * request, or its own SIGINT on Ctrl+C, which may come before ours) meant to stop. One that
 * never listened disconnects too, after reporting its failed start, and one that stopped
 * gracefully after an uncaught exception exits 1: those are deaths like any other.
 */
export function stoppedCleanly(worker: Worker, code: number | null): boolean {
  return listening.has(worker) && worker.exitedAfterDisconnect && code === 0;
}

/** Resolves with the address a worker reports listening on; rejects if it fails or exits first. */
export function waitListening(worker: Worker, timeoutMs: number): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`worker ${worker.process.pid} did not start in ${timeoutMs} ms`),
      timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("exit", onExit);
    };
    const fail = (message: string) => {
      cleanup();
      reject(new Error(message));
    };
    const onMessage = (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === "grpc-cfg:listening") {
        cleanup();
        listening.add(worker);
        resolve(message.address);
      } else if (message.type === "grpc-cfg:failed") {
        fail(`worker ${worker.process.pid} failed to start: ${message.message}`);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`worker ${worker.process.pid} exited before listening (code ${code}, signal ${signal})`);
    worker.on("message", onMessage);
    worker.on("exit", onExit);
  });
}

/**
 * Signals the worker's process directly. `Worker.kill()` would first disconnect, which sends
 * over IPC: to a worker already on its way out (one that failed to start disconnects itself)
 * that write can fail, and the error would be emitted on the worker.
 */
export function signal(worker: Worker, name: NodeJS.Signals): void {
  worker.process.kill(name);
}
