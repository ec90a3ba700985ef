import { randomUUID } from "node:crypto";
import type { BackendChoice, EngineState, LoadSettings } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import type {
  BackendProbe,
  BenchRequest,
  BenchResult,
  ChatRequest,
  ChatResult,
  CompleteRequest,
  EngineOp,
  EngineOps,
  EngineSystemInfo,
  FitEstimate,
  FitRequest,
  HostToWorker,
  LoadResult,
  OpMessage,
  WorkerToHost,
} from "./protocol";
import { DEFAULT_CONTEXT_SIZE } from "../../shared/defaults";
import type { BudgetMember, MemoryBudget, ModelMemory } from "./MemoryBudget";
import type { EngineBinary } from "./localBuild";
import { forkEngine, type EngineProcess, type SpawnEngine } from "./spawnEngine";

interface Pending {
  resolve(value: unknown): void;
  reject(error: HearthError): void;
  onEvent?(message: WorkerToHost): void;
}

export interface LoadedModel {
  id: string | null;
  name: string;
  path: string;
}

export interface ChatHandlers {
  onChunk?(text: string, segment: "answer" | "thought", tokens: number): void;
  onTrimmed?(droppedMessages: number): void;
}

const START_TIMEOUT_MS = 60_000;

export interface EngineHostOptions {
  backend?: BackendChoice;
  /** The llama.cpp binary a new engine process loads (read at each start; prebuilt when not given). */
  binary?: () => EngineBinary;
  spawn?: SpawnEngine;
  /** The memory budget every engine process shares: a load reserves its model's memory there first. */
  budget?: MemoryBudget;
}

/**
 * Owns the engine process: starts it, speaks the worker protocol, and survives its death.
 * If the worker dies, every request in flight fails with ENGINE_CRASHED, and the next request
 * starts a fresh worker and reloads the model that was loaded.
 */
export class EngineHost {
  private process: EngineProcess | null = null;
  private starting: Promise<EngineProcess> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<(state: EngineState) => void>();
  private readonly spawn: SpawnEngine;
  private readonly backendChoice: BackendChoice;
  private readonly binaryChoice: () => EngineBinary;
  /** The binary the running process was asked for, and the one it loaded. */
  private processBinary: { asked: EngineBinary; loaded: EngineBinary } | null = null;
  private lastLoad: { model: LoadedModel; settings: LoadSettings } | null = null;
  private disposed = false;
  /** Replies asked for but not yet handed to the engine (loading the model first), and whether Stop came meanwhile. */
  private readonly waitingReplies = new Map<string, { aborted: boolean }>();
  /** Replies (and bench runs) the engine is working on now: several, on a model loaded with several sequences. */
  private generating = 0;
  /** The loaded model's name and estimated memory, as the budget counts it. */
  private holding: { name: string; memory: ModelMemory } | null = null;
  private lastUsed = 0;
  private readonly budget: MemoryBudget | undefined;
  private readonly member: BudgetMember;
  private readonly leaveBudget: () => void;
  private current: EngineState = {
    status: "stopped",
    backend: null,
    model: null,
    loadSettings: null,
    contextSize: null,
    loadProgress: null,
    lastError: null,
  };

  constructor(options: EngineHostOptions = {}) {
    this.backendChoice = options.backend ?? "auto";
    this.binaryChoice = options.binary ?? (() => "prebuilt");
    this.spawn = options.spawn ?? forkEngine();
    this.budget = options.budget;
    this.member = {
      holding: () => (this.loadedModel ? this.holding : null),
      idle: () => this.pending.size === 0 && this.waitingReplies.size === 0 && this.current.status !== "loading",
      lastUsedAt: () => this.lastUsed,
      unload: () => this.unload(),
    };
    this.leaveBudget = this.budget?.join(this.member) ?? (() => undefined);
  }

  get state(): EngineState {
    return this.current;
  }

  /** The engine process id, for diagnostics and crash tests. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The llama.cpp binary the engine process loaded (null while none runs). */
  get binary(): EngineBinary | null {
    return this.process ? (this.processBinary?.loaded ?? null) : null;
  }

  get loadedModel(): LoadedModel | null {
    return this.current.status === "ready" || this.current.status === "generating" ? this.current.model : null;
  }

  onStateChange(listener: (state: EngineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(model: LoadedModel, settings: LoadSettings): Promise<LoadResult> {
    // A model loads in the binary chosen now: a process started with another one is replaced.
    if (this.process && this.processBinary?.asked !== this.binaryChoice()) await this.stopProcess();
    await this.ensureStarted();
    this.setState({ status: "loading", model, loadSettings: settings, loadProgress: 0, contextSize: null, lastError: null });
    try {
      const memory = await this.reserveMemory(model, settings);
      const result = await this.request("load", { request: { modelPath: model.path, settings } }, (message) => {
        if (message.type === "loadProgress") this.setState({ loadProgress: message.progress });
      });
      this.holding = memory ? { name: model.name, memory } : null;
      this.lastLoad = { model, settings };
      this.setState({ status: "ready", backend: result.backend, contextSize: result.contextSize, loadProgress: 1 });
      return result;
    } catch (error) {
      this.lastLoad = null;
      this.holding = null;
      if (this.current.status !== "crashed")
        this.setState({ status: "idle", model: null, loadSettings: null, loadProgress: null, lastError: asError(error).toData() });
      throw error;
    }
  }

  async unload(): Promise<void> {
    this.lastLoad = null;
    if (!this.process) return;
    await this.request("unload", {});
    this.holding = null;
    this.setState({ status: "idle", model: null, loadSettings: null, contextSize: null, loadProgress: null });
  }

  /** Starts a reply. The id is known at once (to abort it); `result` settles when the reply ends. */
  chat(request: ChatRequest, handlers: ChatHandlers = {}): { id: string; result: Promise<ChatResult> } {
    return this.reply("chat", { request }, handlers);
  }

  /** Starts a plain-text continuation of a prompt (no chat template); the same chunks, result and Stop as a reply. */
  complete(request: CompleteRequest, handlers: ChatHandlers = {}): { id: string; result: Promise<ChatResult> } {
    return this.reply("complete", { request }, handlers);
  }

  private reply<K extends "chat" | "complete">(op: K, params: EngineOps[K]["params"], handlers: ChatHandlers): { id: string; result: Promise<ChatResult> } {
    const id = randomUUID();
    const waiting = { aborted: false };
    this.waitingReplies.set(id, waiting);
    const result = (async () => {
      try {
        await this.ensureModel();
      } catch (error) {
        this.waitingReplies.delete(id);
        throw error;
      }
      if (waiting.aborted) {
        this.waitingReplies.delete(id);
        throw new HearthError("ABORTED", "Stopped before the reply started.");
      }
      this.generating++;
      this.setState({ status: "generating" });
      try {
        return await this.request(
          op,
          params,
          (message) => {
            if (message.type === "chunk") handlers.onChunk?.(message.text, message.segment, message.tokens);
            else if (message.type === "trimmed") handlers.onTrimmed?.(message.droppedMessages);
          },
          id,
        );
      } finally {
        this.generating--;
        if (this.generating === 0 && this.current.status === "generating") this.setState({ status: "ready" });
      }
    })();
    return { id, result };
  }

  /** Stops a reply, whether it runs or still waits for the model; an id that is neither is ignored. */
  abort(requestId: string): void {
    if (this.process && this.pending.has(requestId)) this.process.send({ type: "abort", id: randomUUID(), target: requestId });
    else {
      const waiting = this.waitingReplies.get(requestId);
      if (waiting) waiting.aborted = true;
    }
  }

  async tokenize(text: string): Promise<number[]> {
    await this.ensureModel();
    return (await this.request("tokenize", { text })).tokens;
  }

  async embed(text: string): Promise<number[]> {
    await this.ensureModel();
    return (await this.request("embed", { text })).vector;
  }

  /** Vectors for several texts in one trip (a text past the embedding context is cut to fit). */
  async embedBatch(texts: string[]): Promise<{ vectors: number[][]; truncated: number }> {
    await this.ensureModel();
    return this.request("embedBatch", { texts });
  }

  /** Each document's relevance to the query by the loaded reranker (0 to 1); a model that cannot rank is refused. */
  async rank(query: string, documents: string[]): Promise<number[]> {
    await this.ensureModel();
    return (await this.request("rank", { query, documents })).scores;
  }

  /** Measures the loaded model's speed (llama-bench method); `onProgress` after each repetition. */
  async bench(request: BenchRequest, onProgress?: (done: number, total: number) => void): Promise<BenchResult> {
    await this.ensureModel();
    this.generating++;
    this.setState({ status: "generating" });
    try {
      return await this.request("bench", { request }, (message) => {
        if (message.type === "benchProgress") onProgress?.(message.done, message.total);
      });
    } finally {
      this.generating--;
      if (this.generating === 0 && this.current.status === "generating") this.setState({ status: "ready" });
    }
  }

  async systemInfo(): Promise<EngineSystemInfo> {
    return this.request("systemInfo", {});
  }

  async probeBackends(): Promise<BackendProbe> {
    return this.request("probeBackends", {});
  }

  async estimateFit(request: FitRequest): Promise<FitEstimate> {
    return this.request("fit", { request });
  }

  /** Stops the engine process: politely first, then for good. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.leaveBudget();
    const process = this.process;
    if (!process) return;
    await shutDown(process);
  }

  /** Ends the engine process (the host stays): the next request starts another. */
  private async stopProcess(): Promise<void> {
    const process = this.process;
    if (!process) return;
    this.process = null;
    this.holding = null;
    this.lastLoad = null;
    await shutDown(process);
    this.setState({ status: "idle", model: null, loadSettings: null, contextSize: null, loadProgress: null });
  }

  /**
   * Makes room in the shared budget for the model about to load (its estimate at this context, a
   * context per sequence), unloading idle models elsewhere or refusing. A model whose size cannot
   * be estimated loads unreserved: its own load then says what is wrong with it.
   */
  private async reserveMemory(model: LoadedModel, settings: LoadSettings): Promise<ModelMemory | null> {
    if (!this.budget) return null;
    const contextSize = (settings.contextSize ?? DEFAULT_CONTEXT_SIZE) * (settings.sequences ?? 1);
    const estimate = await this.estimateFit({ path: model.path, contextSize }).catch(() => null);
    if (!estimate) return null;
    const memory = { ramBytes: estimate.ramBytes, vramBytes: estimate.vramBytes };
    await this.budget.reserve(this.member, model.name, memory);
    return memory;
  }

  private async ensureModel(): Promise<void> {
    await this.ensureStarted();
    if (this.current.status === "ready" || this.current.status === "generating") return;
    // After a crash, bring back the model the user had loaded.
    if (this.lastLoad) await this.load(this.lastLoad.model, this.lastLoad.settings);
    else throw new HearthError("MODEL_NOT_LOADED", "No model is loaded.");
  }

  private ensureStarted(): Promise<EngineProcess> {
    if (this.disposed) return Promise.reject(new HearthError("INTERNAL", "The engine was shut down."));
    if (this.process) return Promise.resolve(this.process);
    this.starting ??= this.start().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private start(): Promise<EngineProcess> {
    this.setState({ status: "starting" });
    const asked = this.binaryChoice();
    const child = this.spawn({ backend: this.backendChoice, binary: asked });
    return new Promise<EngineProcess>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill();
        reject(new HearthError("ENGINE_CRASHED", "The engine did not start in time."));
      }, START_TIMEOUT_MS);
      child.onMessage((message) => {
        if (message.type === "ready") {
          ready = true;
          clearTimeout(timer);
          this.process = child;
          this.processBinary = { asked, loaded: message.build };
          this.setState({ status: "idle", backend: message.backend, model: null, loadSettings: null, contextSize: null, loadProgress: null });
          resolve(child);
        } else if (message.type === "fatal") {
          clearTimeout(timer);
          reject(HearthError.fromData(message.error));
        } else {
          this.dispatch(message);
        }
      });
      child.onExit((code, signal) => {
        clearTimeout(timer);
        if (!ready) {
          reject(new HearthError("ENGINE_CRASHED", `The engine failed to start (exit ${code ?? signal}).`));
          this.setState({ status: "crashed" });
          return;
        }
        if (this.process === child) this.onCrash(code, signal);
      });
    });
  }

  private onCrash(code: number | null, signal: string | null): void {
    this.process = null;
    this.holding = null;
    if (this.disposed) {
      this.setState({ status: "stopped", model: null, contextSize: null });
      return;
    }
    const error = new HearthError("ENGINE_CRASHED", `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}).`);
    for (const [, pending] of this.pending) pending.reject(error);
    this.pending.clear();
    this.setState({ status: "crashed", contextSize: null, loadProgress: null, lastError: error.toData() });
  }

  private dispatch(message: WorkerToHost): void {
    if (!("id" in message)) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === "result") {
      this.pending.delete(message.id);
      pending.resolve(message.value);
    } else if (message.type === "error") {
      this.pending.delete(message.id);
      pending.reject(HearthError.fromData(message.error));
    } else {
      pending.onEvent?.(message);
    }
  }

  /**
   * Sends one operation and settles with its answer. The one place a message crosses untyped:
   * the worker answers `op` with `EngineOps[op]["result"]` (see `answer` in the worker).
   */
  private async request<K extends EngineOp>(
    op: K,
    params: EngineOps[K]["params"],
    onEvent?: (message: WorkerToHost) => void,
    id: string = randomUUID(),
  ): Promise<EngineOps[K]["result"]> {
    const process = await this.ensureStarted();
    this.lastUsed = Date.now();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as EngineOps[K]["result"]), reject, onEvent });
      process.send({ ...params, type: op, id } as OpMessage<K> as HostToWorker);
      // A Stop that came between the last look and now goes right after the reply it stops.
      const waiting = this.waitingReplies.get(id);
      this.waitingReplies.delete(id);
      if (waiting?.aborted) process.send({ type: "abort", id: randomUUID(), target: id });
    });
  }

  private setState(patch: Partial<EngineState>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }
}

function asError(error: unknown): HearthError {
  return error instanceof HearthError ? error : new HearthError("INTERNAL", error instanceof Error ? error.message : String(error));
}

/** Asks an engine process to end, and kills it if it has not within 3 s. */
async function shutDown(process: EngineProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => process.onExit(() => resolve()));
  process.send({ type: "shutdown" });
  const timer = setTimeout(() => process.kill(), 3000);
  await exited;
  clearTimeout(timer);
}
