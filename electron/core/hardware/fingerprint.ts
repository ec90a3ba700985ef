import os from "node:os";
import { dependencies, version } from "../../../package.json";
import type { HardwareFingerprint } from "../../shared/contract";
import type { EngineSystemInfo } from "../engine/protocol";
import { physicalCoreCount } from "../engine/worker/physicalCores";

/** The machine a bench ran on, so figures from different machines are never compared blind. */
export function hardwareFingerprint(engine: EngineSystemInfo | null): HardwareFingerprint {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || os.arch(),
    physicalCores: physicalCoreCount(),
    logicalCores: os.availableParallelism?.() ?? cpus.length,
    ramBytes: os.totalmem(),
    gpus: engine?.gpuDevices ?? [],
    vramBytes: engine?.vramTotalBytes ?? null,
    backend: engine?.backend ?? "unknown",
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    hearthVersion: version,
    llamaCppVersion: engine?.llamaCpp ?? "unknown",
    nodeLlamaCppVersion: dependencies["node-llama-cpp"],
  };
}
