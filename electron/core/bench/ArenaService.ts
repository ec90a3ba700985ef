import { randomUUID } from "node:crypto";
import os from "node:os";
import type { ArenaPacket, ArenaSide, ArenaState, ModelEntry } from "../../shared/contract";
import { HearthError, toErrorData } from "../../shared/errors";
import { formatBytes } from "../../shared/format";
import { EngineHost, type EngineHostOptions } from "../engine/EngineHost";
import type { ModelLibrary } from "../models/ModelLibrary";

const ARENA_CONTEXT = 2048;
// Beyond the weights: the KV cache at ARENA_CONTEXT, compute buffers and the process itself.
const OVERHEAD_BYTES = 512 * 1024 * 1024;
const OVERHEAD_FRACTION = 0.15;

/** Roughly what a model takes in memory to answer a short prompt. */
export function estimateMemory(model: ModelEntry): number {
  return model.fileSize * (1 + OVERHEAD_FRACTION) + OVERHEAD_BYTES;
}

/**
 * The arena: one prompt, two models, each in an engine process of its own. Together when both fit
 * in free memory, else one after the other (and the state says why); nothing is stored.
 */
export class ArenaService {
  private readonly listeners = new Set<(packet: ArenaPacket) => void>();
  private readonly running = new Map<string, { hosts: EngineHost[]; stopped: boolean }>();

  constructor(
    private readonly library: ModelLibrary,
    private readonly engineOptions: EngineHostOptions,
    private readonly freeMemory: () => number = () => os.freemem(),
  ) {}

  onUpdate(listener: (packet: ArenaPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(input: { prompt: string; modelIds: [string, string]; maxTokens: number }): { arenaId: string; done: Promise<ArenaState> } {
    if (this.running.size > 0) throw new HearthError("ENGINE_BUSY", "An arena is already running.", { suggestion: "Wait for it, or stop it." });
    const models = input.modelIds.map((id) => this.library.get(id)) as [ModelEntry, ModelEntry];
    const needed = estimateMemory(models[0]) + estimateMemory(models[1]);
    const free = this.freeMemory();
    const together = needed <= free;
    const side = (model: ModelEntry): ArenaSide => ({
      modelId: model.id,
      modelName: model.name,
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
      sides: [side(models[0]), side(models[1])],
      finished: false,
    };
    const control = { hosts: [] as EngineHost[], stopped: false };
    this.running.set(state.id, control);
    const done = (async () => {
      try {
        if (together) await Promise.all([0, 1].map((i) => this.answer(state, i as 0 | 1, models[i]!, input, control)));
        else for (const i of [0, 1] as const) await this.answer(state, i, models[i], input, control);
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
  }

  async dispose(): Promise<void> {
    for (const control of this.running.values()) {
      control.stopped = true;
      await Promise.all(control.hosts.map((host) => host.dispose()));
    }
  }

  private async answer(
    state: ArenaState,
    index: 0 | 1,
    model: ModelEntry,
    input: { prompt: string; maxTokens: number },
    control: { hosts: EngineHost[]; stopped: boolean },
  ) {
    const update = (patch: Partial<ArenaSide>) => {
      state.sides[index] = { ...state.sides[index], ...patch };
      this.emit(state);
    };
    const stopped = () => toErrorData(new HearthError("ABORTED", "Stopped."));
    if (control.stopped) return update({ status: "error", error: stopped() });
    const host = new EngineHost(this.engineOptions);
    control.hosts.push(host);
    try {
      update({ status: "loading" });
      await host.load(
        { id: model.id, name: model.name, path: model.path },
        { contextSize: Math.min(ARENA_CONTEXT, model.contextLength ?? ARENA_CONTEXT), gpuLayers: "auto", flashAttention: false },
      );
      update({ status: "generating" });
      const started = performance.now();
      let firstAt: number | null = null;
      let tokens = 0;
      const reply = host.chat(
        { history: [{ role: "user", text: input.prompt }], sampling: { maxTokens: input.maxTokens }, systemPrompt: null, overflow: "error" },
        {
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
        },
      );
      const result = await reply.result;
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
      await host.dispose();
    }
  }

  /** The whole state, when a status changes (a few times an arena). */
  private emit(state: ArenaState): void {
    this.send({ type: "state", state: structuredClone(state) });
  }

  private send(packet: ArenaPacket): void {
    for (const listener of this.listeners) listener(packet);
  }
}
