import { fork } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BackendChoice } from "../../shared/contract";
import { engineEnv } from "./engineEnv";
import type { EngineBinary } from "./localBuild";
import type { HostToWorker, WorkerToHost } from "./protocol";

/** One running engine process, whatever started it (child_process here, utilityProcess in Electron). */
export interface EngineProcess {
  readonly pid: number | undefined;
  send(message: HostToWorker): void;
  onMessage(listener: (message: WorkerToHost) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type SpawnEngine = (options: { backend: BackendChoice; binary: EngineBinary }) => EngineProcess;

/**
 * Forks the engine worker under plain Node. From TypeScript sources (tests, the CLI) the worker
 * runs through tsx (`worker/engineWorker.ts`); from a build, the bundled `engineWorker.js`.
 */
export function forkEngine(workerEntry?: string): SpawnEngine {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith(".ts");
  // Built, this code may sit in a shared chunk (out/main/chunks/) below the worker's own file.
  const entry =
    workerEntry ??
    (fromSource
      ? path.join(path.dirname(here), "worker/engineWorker.ts")
      : [path.join(path.dirname(here), "engineWorker.js"), path.join(path.dirname(here), "../engineWorker.js")].find((file) => fs.existsSync(file))!);
  const execArgv = entry.endsWith(".ts") ? ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href] : [];

  return ({ backend, binary }) => {
    // The engine's stdout goes to our stderr: stdout belongs to the CLI's output (`--json`).
    const child = fork(entry, [`--backend=${backend}`, `--binary=${binary}`], {
      execArgv,
      env: engineEnv(),
      stdio: ["ignore", 2, 2, "ipc"],
      serialization: "advanced",
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on("message", (message) => listener(message as WorkerToHost)),
      onExit: (listener) => child.on("exit", (code, signal) => listener(code, signal)),
      kill: () => child.kill("SIGKILL"),
    };
  };
}
