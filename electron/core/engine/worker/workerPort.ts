import type { HostToWorker, WorkerToHost } from "../protocol";

/** Electron's utilityProcess exposes `process.parentPort`; child_process.fork gives `process.send`. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
}

export interface WorkerPort {
  send(message: WorkerToHost): void;
  onMessage(listener: (message: HostToWorker) => void): void;
}

export function workerPort(): WorkerPort {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on("message", (event) => listener(event.data as HostToWorker)),
    };
  }
  if (!process.send) throw new Error("The engine worker must be started by EngineHost (no IPC channel).");
  // If the host goes away, so does the engine: never leave an orphan holding gigabytes of weights.
  process.on("disconnect", () => process.exit(0));
  return {
    send: (message) => process.send!(message),
    onMessage: (listener) => process.on("message", (message) => listener(message as HostToWorker)),
  };
}
