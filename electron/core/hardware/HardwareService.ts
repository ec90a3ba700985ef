import os from "node:os";
import type { HardwareInfo } from "../../shared/modelHub";
import { EngineHost, type EngineHostOptions } from "../engine/EngineHost";
import type { BackendProbe, FitEstimate, FitRequest } from "../engine/protocol";
import { availableRamBytes } from "./memory";
import { physicalCoreCount } from "../engine/worker/physicalCores";

const IDLE_MS = 60_000;

/**
 * The machine as the models page sees it, and memory estimates for GGUF files. Both need
 * node-llama-cpp's native side, so they run in a helper engine process of their own (never the
 * chat engine, which may be busy), stopped after a minute without work.
 */
export class HardwareService {
  private helper: EngineHost | null = null;
  private probe: Promise<BackendProbe> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private busy = 0;

  constructor(private readonly engineOptions: EngineHostOptions) {}

  async info(): Promise<HardwareInfo> {
    this.probe ??= this.withHelper((engine) => engine.probeBackends()).catch((error) => {
      this.probe = null; // try again next time
      throw error;
    });
    const probe = await this.probe;
    const cpus = os.cpus();
    return {
      ...probe,
      ram: { totalBytes: os.totalmem(), freeBytes: availableRamBytes() },
      cpu: { model: cpus[0]?.model.trim() || os.arch(), physicalCores: physicalCoreCount(), logicalCores: os.availableParallelism?.() ?? cpus.length },
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
    };
  }

  estimateFit(request: FitRequest): Promise<FitEstimate> {
    return this.withHelper((engine) => engine.estimateFit(request));
  }

  async dispose(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const helper = this.helper;
    this.helper = null;
    await helper?.dispose();
  }

  private async withHelper<T>(work: (engine: EngineHost) => Promise<T>): Promise<T> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.helper ??= new EngineHost(this.engineOptions);
    this.busy++;
    try {
      return await work(this.helper);
    } finally {
      this.busy--;
      if (this.busy === 0) {
        this.idleTimer = setTimeout(() => void this.dispose(), IDLE_MS);
        this.idleTimer.unref();
      }
    }
  }
}
