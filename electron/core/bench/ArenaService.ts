import { randomUUID } from "node:crypto";
import os from "node:os";
import type { ArenaPacket, ArenaSide, ArenaState, ModelEntry } from "../../shared/contract";
import { HearthError, toErrorData } from "../../shared/errors";
import { formatBytes } from "../../shared/format";
import { type ChatHandlers, EngineHost, type EngineHostOptions } from "../engine/EngineHost";
import type { ChatRequest, ChatResult } from "../engine/protocol";
import type { ModelLibrary } from "../models/ModelLibrary";
import type { Outbound } from "../network/Outbound";
import type { RemoteEngines, RemoteTarget } from "../remote/RemoteEngines";
import { remoteChat } from "../remote/remoteChat";
import { parseRemoteModelId } from "../../shared/remoteIds";

interface Control {
  hosts: EngineHost[];
  /** Remote replies running, each hung up by Stop. */
  remoteReplies: AbortController[];
  stopped: boolean;
}

const ARENA_CONTEXT = 2048;
// Beyond the weights: the KV cache at ARENA_CONTEXT, compute buffers and the process itself.
const OVERHEAD_BYTES = 512 * 1024 * 1024;
const OVERHEAD_FRACTION = 0.15;

/** Roughly what a model takes in memory to answer a short prompt. */
export function estimateMemory(model: ModelEntry): number {
  return model.fileSize * (1 + OVERHEAD_FRACTION) + OVERHEAD_BYTES;
}

/** One side's model: a library model, or a remote engine's (which takes no memory here). */
type Contender = { kind: "local"; model: ModelEntry } | { kind: "remote"; id: string; name: string; target: RemoteTarget };

/**
 * The arena: one prompt, two models, each in an engine process of its own (or on its remote
 * engine). Together when both fit in free memory, else one after the other (and the state says
 * why); nothing is stored.
 */
export class ArenaService {
  private readonly listeners = new Set<(packet: ArenaPacket) => void>();
  private readonly running = new Map<string, Control>();

  constructor(
    private readonly library: ModelLibrary,
    private readonly engineOptions: EngineHostOptions,
    private readonly remote: { remotes: RemoteEngines; outbound: Outbound } | null = null,
    private readonly freeMemory: () => number = () => os.freemem(),
  ) {}

  onUpdate(listener: (packet: ArenaPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(input: { prompt: string; modelIds: [string, string]; maxTokens: number }): { arenaId: string; done: Promise<ArenaState> } {
    if (this.running.size > 0) throw new HearthError("ENGINE_BUSY", "An arena is already running.", { suggestion: "Wait for it, or stop it." });
    const contenders = input.modelIds.map((id) => this.contender(id)) as [Contender, Contender];
    const needed = contenders.reduce((sum, c) => sum + (c.kind === "local" ? estimateMemory(c.model) : 0), 0);
    const free = this.freeMemory();
    const together = needed <= free;
    const side = (contender: Contender): ArenaSide => ({
      modelId: contender.kind === "local" ? contender.model.id : contender.id,
      modelName: contender.kind === "local" ? contender.model.name : contender.name,
      status: "waiting",
      text: "",
      tokens: 0,
      tokensPerSecond: null,
      timeToFirstTokenMs: null,
      error: null,
    });
    const state: ArenaState = {
      id: randomUUID(),
      prompt: input.prompt,
      mode: together ? "together" : "oneAfterTheOther",
      reason: together ? null : `Both models need about ${formatBytes(needed)} and ${formatBytes(free)} is free, so they answer one after the other.`,
      sides: [side(contenders[0]), side(contenders[1])],
      finished: false,
    };
    const control: Control = { hosts: [], remoteReplies: [], stopped: false };
    this.running.set(state.id, control);
    const done = (async () => {
      try {
        if (together) await Promise.all([0, 1].map((i) => this.answer(state, i as 0 | 1, contenders[i]!, input, control)));
        else for (const i of [0, 1] as const) await this.answer(state, i, contenders[i], input, control);
      } finally {
        state.finished = true;
        this.running.delete(state.id);
        this.emit(state);
      }
      return state;
    })();
    this.emit(state);
    return { arenaId: state.id, done };
  }

  stop(arenaId: string): void {
    const control = this.running.get(arenaId);
    if (!control) throw new HearthError("NOT_FOUND", `No arena ${arenaId} is running.`);
    control.stopped = true;
    for (const host of control.hosts) void host.dispose();
    for (const reply of control.remoteReplies) reply.abort();
  }

  async dispose(): Promise<void> {
    for (const control of this.running.values()) {
      control.stopped = true;
      for (const reply of control.remoteReplies) reply.abort();
      await Promise.all(control.hosts.map((host) => host.dispose()));
    }
  }

  /** The model an id names: the library's, or a remote engine's (`remote:<engine>:<model>`). */
  private contender(id: string): Contender {
    if (!parseRemoteModelId(id)) return { kind: "local", model: this.library.get(id) };
    if (!this.remote) throw new HearthError("INVALID_INPUT", "Remote models are not available here.");
    const target = this.remote.remotes.target(id);
    return { kind: "remote", id, name: `${target.model} · ${target.engineName}`, target };
  }

  private async answer(state: ArenaState, index: 0 | 1, contender: Contender, input: { prompt: string; maxTokens: number }, control: Control) {
    const update = (patch: Partial<ArenaSide>) => {
      state.sides[index] = { ...state.sides[index], ...patch };
      this.emit(state);
    };
    const stopped = () => toErrorData(new HearthError("ABORTED", "Stopped."));
    if (control.stopped) return update({ status: "error", error: stopped() });
    const host = contender.kind === "local" ? new EngineHost(this.engineOptions) : null;
    if (host) control.hosts.push(host);
    try {
      if (contender.kind === "local") {
        const { model } = contender;
        update({ status: "loading" });
        await host!.load(
          { id: model.id, name: model.name, path: model.path },
          { contextSize: Math.min(ARENA_CONTEXT, model.contextLength ?? ARENA_CONTEXT), gpuLayers: "auto", flashAttention: false },
        );
      }
      update({ status: "generating" });
      const started = performance.now();
      let firstAt: number | null = null;
      let tokens = 0;
      const request: ChatRequest = {
        history: [{ role: "user", text: input.prompt }],
        sampling: { maxTokens: input.maxTokens },
        systemPrompt: null,
        overflow: "error",
      };
      const handlers: ChatHandlers = {
        onChunk: (text, segment, count) => {
          const now = performance.now();
          firstAt ??= now;
          tokens += count;
          const seconds = (now - firstAt) / 1000;
          const side = state.sides[index];
          const answer = segment === "answer" ? text : "";
          side.text += answer;
          side.tokens = tokens;
          side.timeToFirstTokenMs = firstAt - started;
          side.tokensPerSecond = seconds > 0 ? (tokens - 1) / seconds : null;
          this.send({
            type: "text",
            arenaId: state.id,
            side: index,
            text: answer,
            tokens,
            tokensPerSecond: side.tokensPerSecond,
            timeToFirstTokenMs: side.timeToFirstTokenMs,
          });
        },
      };
      const result =
        contender.kind === "local" ? await host!.chat(request, handlers).result : await this.remoteReply(contender.target, request, handlers, control);
      const seconds = result.firstTokenMs !== null && result.lastTokenMs !== null ? (result.lastTokenMs - result.firstTokenMs) / 1000 : 0;
      update({
        status: "done",
        tokens: result.completionTokens,
        timeToFirstTokenMs: result.firstTokenMs,
        tokensPerSecond: seconds > 0 ? (result.completionTokens - 1) / seconds : null,
      });
    } catch (error) {
      update({ status: "error", error: control.stopped ? stopped() : toErrorData(error) });
    } finally {
      await host?.dispose();
    }
  }

  /** A remote side's reply, through the one door out (offline refuses it); Stop hangs up. */
  private remoteReply(target: RemoteTarget, request: ChatRequest, handlers: ChatHandlers, control: Control): Promise<ChatResult> {
    // Only a remote contender reaches here, and contender() made one only with `remote` set.
    const { outbound } = this.remote!;
    outbound.assertOnline(`the reply from ${target.engineName}`);
    const hangUp = new AbortController();
    control.remoteReplies.push(hangUp);
    return remoteChat(outbound, target, request, handlers, hangUp.signal);
  }

  /** The whole state, when a status changes (a few times an arena). */
  private emit(state: ArenaState): void {
    this.send({ type: "state", state: structuredClone(state) });
  }

  private send(packet: ArenaPacket): void {
    for (const listener of this.listeners) listener(packet);
  }
}
