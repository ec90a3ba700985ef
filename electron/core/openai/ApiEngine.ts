import type { BackendChoice } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import { EngineHost } from "../engine/EngineHost";
import { loadLibraryModel } from "../engine/loadLibraryModel";
import type { SpawnEngine } from "../engine/spawnEngine";
import type { ModelLibrary } from "../models/ModelLibrary";

export interface ApiEngineOptions {
  backend?: BackendChoice;
  spawn?: SpawnEngine;
  /** Requests that may wait while one runs; past that, 429. */
  maxQueue: number;
  /** An idle model is unloaded after this long (ms); 0 keeps it. */
  idleMs: number;
}

/**
 * The API's engine: its own process (the app's chat never waits on an API client), the model a
 * request names loaded on first use and unloaded when idle. One request runs at a time; others
 * wait in order, up to `maxQueue`.
 */
export class ApiEngine {
  readonly engine: EngineHost;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private running = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly library: ModelLibrary,
    private readonly options: ApiEngineOptions,
  ) {
    this.engine = new EngineHost({ backend: options.backend, spawn: options.spawn });
  }

  /** Runs `job` with `modelId` loaded, after the requests before it; refuses with ENGINE_BUSY past the queue. */
  run<T>(modelId: string, job: (engine: EngineHost) => Promise<T>): Promise<T> {
    if (this.running && this.waiting >= this.options.maxQueue) {
      throw new HearthError("ENGINE_BUSY", `The API is busy: one request runs and ${this.waiting} wait.`, { suggestion: "Retry in a moment." });
    }
    this.waiting++;
    const turn = this.tail.then(async () => {
      this.waiting--;
      this.running = true;
      this.clearIdle();
      try {
        if (this.engine.loadedModel?.id !== modelId) await loadLibraryModel(this.engine, this.library, modelId);
        return await job(this.engine);
      } finally {
        this.running = false;
        this.armIdle();
      }
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Requests running or waiting now. */
  get load(): { running: boolean; waiting: number } {
    return { running: this.running, waiting: this.waiting };
  }

  async dispose(): Promise<void> {
    this.clearIdle();
    await this.engine.dispose();
  }

  private armIdle(): void {
    if (this.options.idleMs <= 0 || this.waiting > 0) return;
    this.idleTimer = setTimeout(() => void this.engine.unload().catch(() => undefined), this.options.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
