import { HearthError } from "../../shared/errors";
import { EngineHost, type EngineHostOptions } from "../engine/EngineHost";
import { loadLibraryModel } from "../engine/loadLibraryModel";
import type { ModelLibrary } from "../models/ModelLibrary";

export interface ApiEngineOptions extends EngineHostOptions {
  /** Replies served at once: the model is loaded with this many sequences, their decodes batched. */
  slots: number;
  /** Requests that may wait for a slot; past that, 429. */
  maxQueue: number;
  /** An idle model is unloaded after this long (ms); 0 keeps it. */
  idleMs: number;
}

interface Waiting {
  modelId: string;
  start(): void;
  fail(error: unknown): void;
}

/**
 * The API's engine: its own process (the app's chat never waits on an API client), the model a
 * request names loaded on first use (with one sequence per slot) and unloaded when idle. Up to
 * `slots` requests for the loaded model run at once (continuous batching: a new one joins while
 * the others generate); the rest wait in order, up to `maxQueue`. A request for another model
 * waits until the running ones end, then that model is loaded; nothing behind it overtakes it.
 */
export class ApiEngine {
  readonly engine: EngineHost;
  private readonly queue: Waiting[] = [];
  private running = 0;
  private loading = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly library: ModelLibrary,
    private readonly options: ApiEngineOptions,
  ) {
    this.engine = new EngineHost({ backend: options.backend, spawn: options.spawn, budget: options.budget });
  }

  /**
   * Runs `job` with `modelId` loaded, once a slot is free; refuses with ENGINE_BUSY when `slots`
   * run and `maxQueue` wait already. A request whose `signal` aborts while it waits (its client
   * left) leaves the queue at once.
   */
  run<T>(modelId: string, job: (engine: EngineHost) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running + this.queue.length >= this.options.slots + this.options.maxQueue) {
      throw new HearthError("ENGINE_BUSY", `The API is busy: ${this.running} requests run and ${this.queue.length} wait.`, {
        suggestion: "Retry in a moment.",
      });
    }
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        const index = this.queue.indexOf(waiting);
        if (index >= 0) this.queue.splice(index, 1);
        reject(new HearthError("ABORTED", "The client left before its request started."));
      };
      const waiting: Waiting = {
        modelId,
        fail: (error) => {
          signal?.removeEventListener("abort", leave);
          reject(error);
        },
        start: () => {
          signal?.removeEventListener("abort", leave);
          this.running++;
          this.clearIdle();
          job(this.engine)
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.pump();
            });
        },
      };
      if (signal?.aborted) return leave();
      signal?.addEventListener("abort", leave, { once: true });
      this.queue.push(waiting);
      this.pump();
    });
  }

  /** Replies running now, the slots there are, and requests waiting. */
  get load(): { running: number; slots: number; waiting: number } {
    return { running: this.running, slots: this.options.slots, waiting: this.queue.length };
  }

  async dispose(): Promise<void> {
    this.clearIdle();
    for (const waiting of this.queue.splice(0)) waiting.fail(new HearthError("ABORTED", "The API was stopped."));
    await this.engine.dispose();
  }

  /** Starts what can start, in order; loads the next model once the last one's replies are done. */
  private pump(): void {
    while (this.queue.length > 0 && !this.loading) {
      const next = this.queue[0]!;
      if (this.engine.loadedModel?.id === next.modelId) {
        if (this.running >= this.options.slots) return;
        this.queue.shift();
        next.start();
      } else {
        if (this.running > 0) return;
        this.switchTo(next.modelId);
        return;
      }
    }
    if (this.running === 0 && this.queue.length === 0) this.armIdle();
  }

  private switchTo(modelId: string): void {
    this.loading = true;
    this.clearIdle();
    loadLibraryModel(this.engine, this.library, modelId, { sequences: this.options.slots })
      .catch((error: unknown) => {
        // Every request waiting for this model would meet the same failure: they get it now.
        for (let i = this.queue.length - 1; i >= 0; i--) {
          if (this.queue[i]!.modelId === modelId) this.queue.splice(i, 1)[0]!.fail(error);
        }
      })
      .finally(() => {
        this.loading = false;
        this.pump();
      });
  }

  private armIdle(): void {
    this.clearIdle();
    if (this.options.idleMs <= 0 || !this.engine.loadedModel) return;
    this.idleTimer = setTimeout(() => {
      // While it unloads, a request that comes waits for it (then loads the model again).
      this.loading = true;
      void this.engine
        .unload()
        .catch(() => undefined)
        .finally(() => {
          this.loading = false;
          this.pump();
        });
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
