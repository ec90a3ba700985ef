import { randomUUID } from "node:crypto";
import type { EngineState, LoadSettings } from "../../shared/contract";
import { HearthError } from "../../shared/errors";
import { parseRemoteModelId } from "../../shared/remoteIds";
import type { ModelLibrary } from "../models/ModelLibrary";
import type { Outbound } from "../network/Outbound";
import type { RemoteEngines, RemoteTarget } from "../remote/RemoteEngines";
import { remoteChat } from "../remote/remoteChat";
import type { ChatHandlers, EngineHost, LoadedModel } from "./EngineHost";
import { loadLibraryModel } from "./loadLibraryModel";
import type { ChatRequest, ChatResult, LoadResult } from "./protocol";

/**
 * The chat's model, local or remote, behind one face: a library model runs in the local engine
 * process; a remote engine's model is "loaded" by pointing at it (the local model is unloaded,
 * so the machine's memory is free), and its replies stream from the server with the same
 * chunks, results and errors.
 */
export class ChatEngine {
  private remote: { target: RemoteTarget; modelId: string } | null = null;
  /** Remote replies in flight, to stop them. */
  private readonly remoteReplies = new Map<string, AbortController>();
  private remoteStatus: "ready" | "generating" = "ready";
  private readonly listeners = new Set<(state: EngineState) => void>();

  constructor(
    readonly local: EngineHost,
    private readonly library: ModelLibrary,
    private readonly remotes: RemoteEngines,
    private readonly outbound: Outbound,
  ) {
    local.onStateChange((state) => {
      if (!this.remote) this.emit(state);
    });
  }

  get state(): EngineState {
    if (!this.remote) return this.local.state;
    const { target, modelId } = this.remote;
    return {
      status: this.remoteStatus,
      backend: `remote · ${target.engineName}`,
      model: { id: modelId, name: `${target.model} · ${target.engineName}`, path: target.baseUrl },
      loadSettings: null,
      contextSize: null,
      loadProgress: null,
      lastError: null,
    };
  }

  /** The local engine process's id, while it runs. */
  get pid(): number | undefined {
    return this.local.pid;
  }

  get loadedModel(): LoadedModel | null {
    return this.remote ? this.state.model : this.local.loadedModel;
  }

  onStateChange(listener: (state: EngineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads a library model, or points at a remote engine's model (`remote:…` ids). */
  async loadModel(modelId: string, settings: Partial<LoadSettings> = {}): Promise<void> {
    if (!parseRemoteModelId(modelId)) {
      await loadLibraryModel(this, this.library, modelId, settings);
      return;
    }
    const target = this.remotes.target(modelId);
    this.outbound.assertOnline(`the reply from ${target.engineName}`);
    const listed = await this.remotes.get(target.engineId);
    if (listed.error) throw new HearthError("NETWORK", `${target.engineName} cannot be reached: ${listed.error}`);
    if (!listed.models.some((model) => model.id === modelId)) {
      throw new HearthError("NOT_FOUND", `${target.engineName} no longer serves ${target.model}.`, { suggestion: "Pick one of the models it lists now." });
    }
    if (this.local.loadedModel) await this.local.unload();
    this.remote = { target, modelId };
    this.remoteStatus = "ready";
    this.emit(this.state);
  }

  /** Loads the model unless it is the one in use already. */
  async ensureModel(modelId: string): Promise<void> {
    // Offline, a remote reply is refused before anything is stored for it.
    if (this.remote?.modelId === modelId) this.outbound.assertOnline(`the reply from ${this.remote.target.engineName}`);
    if (this.loadedModel?.id === modelId) return;
    await this.loadModel(modelId);
  }

  /** A library model into the local engine (what `loadLibraryModel` calls); the remote one is let go. */
  load(model: LoadedModel, settings: LoadSettings): Promise<LoadResult> {
    this.leaveRemote();
    return this.local.load(model, settings);
  }

  async unload(): Promise<void> {
    if (this.remote) {
      this.leaveRemote();
      this.emit(this.local.state);
      return;
    }
    await this.local.unload();
  }

  chat(request: ChatRequest, handlers: ChatHandlers = {}): { id: string; result: Promise<ChatResult> } {
    if (!this.remote) return this.local.chat(request, handlers);
    const id = randomUUID();
    const controller = new AbortController();
    this.remoteReplies.set(id, controller);
    this.setRemoteStatus("generating");
    const result = remoteChat(this.outbound, this.remote.target, request, handlers, controller.signal)
      .catch((error: unknown) => {
        if (controller.signal.aborted) throw new HearthError("ABORTED", "Stopped.");
        throw error;
      })
      .finally(() => {
        this.remoteReplies.delete(id);
        if (this.remoteReplies.size === 0) this.setRemoteStatus("ready");
      });
    return { id, result };
  }

  abort(requestId: string): void {
    const remote = this.remoteReplies.get(requestId);
    if (remote) remote.abort();
    else this.local.abort(requestId);
  }

  tokenize(text: string): Promise<number[]> {
    if (this.remote) {
      return Promise.reject(
        new HearthError("INVALID_INPUT", "A remote model's tokenizer is on its server, which does not share it.", { suggestion: "Load a local model." }),
      );
    }
    return this.local.tokenize(text);
  }

  async dispose(): Promise<void> {
    for (const controller of this.remoteReplies.values()) controller.abort();
    await this.local.dispose();
  }

  private leaveRemote(): void {
    for (const controller of this.remoteReplies.values()) controller.abort();
    this.remote = null;
  }

  private setRemoteStatus(status: "ready" | "generating"): void {
    this.remoteStatus = status;
    if (this.remote) this.emit(this.state);
  }

  private emit(state: EngineState): void {
    for (const listener of this.listeners) listener(state);
  }
}
