import { utilityProcess } from "electron";
import type { EngineProcess, SpawnEngine } from "../core/engine/spawnEngine";
import type { HostToWorker, WorkerToHost } from "../core/engine/protocol";

/** Starts the engine worker in an Electron utilityProcess: a crash there never takes the window down. */
export function utilityEngine(workerEntry: string): SpawnEngine {
  return ({ backend, binary }): EngineProcess => {
    const child = utilityProcess.fork(workerEntry, [`--backend=${backend}`, `--binary=${binary}`], { serviceName: "Hearth engine", stdio: "inherit" });
    return {
      get pid() {
        return child.pid;
      },
      send: (message: HostToWorker) => child.postMessage(message),
      onMessage: (listener) => child.on("message", (message: WorkerToHost) => listener(message)),
      onExit: (listener) => child.on("exit", (code) => listener(code, null)),
      kill: () => void child.kill(),
    };
  };
}
