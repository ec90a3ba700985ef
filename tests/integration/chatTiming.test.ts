import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCore } from "../../electron/core/createCore";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import type { ChatResult, FitEstimate, HostToWorker, LoadResult, WorkerToHost } from "../../electron/core/engine/protocol";
import type { EngineProcess, SpawnEngine } from "../../electron/core/engine/spawnEngine";
import { calls } from "../../electron/shared/contract";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

/**
 * An engine that answers in-process on a timetable we choose: ten tokens 100 ms apart on its
 * own clock, then a result that reaches the host much later (a slow host, a busy IPC channel).
 */
const lateEngine: SpawnEngine = () => {
  const listeners: ((message: WorkerToHost) => void)[] = [];
  const exits: ((code: number | null, signal: string | null) => void)[] = [];
  const exit = () =>
    setImmediate(() => {
      for (const listener of exits) listener(0, null);
    });
  const emit = (message: WorkerToHost) =>
    setImmediate(() => {
      for (const listener of listeners) listener(message);
    });
  const engine: EngineProcess = {
    pid: undefined,
    onMessage: (listener) => void listeners.push(listener),
    onExit: (listener) => void exits.push(listener),
    kill: exit,
    send(message: HostToWorker) {
      if (message.type === "shutdown") exit();
      else if (message.type === "load") {
        const value: LoadResult = { backend: "cpu", contextSize: 512, threads: 1, gpuLayers: 0, loadMs: 1, trainContextSize: 512 };
        emit({ type: "result", id: message.id, value });
      } else if (message.type === "fit") {
        // The memory the load reserves in the budget first.
        const value: FitEstimate = { gpu: false, gpuLayers: 0, totalLayers: 1, contextSize: 512, ramBytes: 1024 * 1024, vramBytes: 0 };
        emit({ type: "result", id: message.id, value });
      } else if (message.type === "chat") {
        emit({ type: "chunk", id: message.id, text: "Once", segment: "answer", tokens: 1 });
        emit({ type: "chunk", id: message.id, text: " upon a time", segment: "answer", tokens: 9 });
        const value: ChatResult = {
          promptTokens: 5,
          evaluatedPromptTokens: 5,
          completionTokens: 10,
          firstTokenMs: 20,
          lastTokenMs: 20 + 9 * 100,
          engineMs: 20 + 9 * 100 + 1,
          stopReason: "maxTokens",
          droppedMessages: 0,
          contextSize: 512,
        };
        setTimeout(() => emit({ type: "result", id: message.id, value }), 1500);
      }
    },
  };
  emit({ type: "ready", backend: "cpu", build: "prebuilt" });
  return engine;
};

const core = createCore({ dataDir: path.join(tempDir(), "data"), backend: "cpu", spawnEngine: lateEngine });
afterAll(() => core.close());

describe("reply statistics", () => {
  it("count speed on the engine's clock, first to last token, not the result's trip to the host", async () => {
    const model = await core.library.import(testModelPath, "reference");
    await loadLibraryModel(core.engine, core.library, model.id, { threads: 1 });
    const started = await core.chat.send(calls["chat.send"].input.parse({ text: "Tell me a story", sampling: { maxTokens: 10 } }));
    const { message, error } = await core.chat.wait(started.requestId);
    expect(error).toBeNull();
    // 9 intervals of 100 ms: 10 tokens per second (the host saw the result 1.5 s later).
    expect(message!.tokensPerSecond).toBeCloseTo(10, 5);
    expect(message!.completionTokens).toBe(10);
    // Time to first token is what the user waited for: the host's clock, from the send.
    expect(message!.timeToFirstTokenMs).toBeLessThan(1000);
  });
});

describe("a reply that writes no text", () => {
  const real = createCore({ dataDir: path.join(tempDir(), "data"), backend: "cpu" });
  afterAll(() => real.close());

  it("still has its speed: every sampled token counts on the engine's clock, text or not", async () => {
    const { writeSilentModel } = await import("../support/tinyModels");
    const file = await writeSilentModel(path.join(tempDir(), "silent.gguf"));
    const model = await real.library.import(file, "reference");
    await loadLibraryModel(real.engine, real.library, model.id, { threads: 1 });
    const started = await real.chat.send(calls["chat.send"].input.parse({ text: "Say nothing", sampling: { maxTokens: 16, temperature: 0 } }));
    const { message, error } = await real.chat.wait(started.requestId);
    expect(error).toBeNull();
    expect(message!.content.trim()).toBe("");
    expect(message!.completionTokens).toBe(16);
    expect(message!.tokensPerSecond).toBeGreaterThan(0);
  }, 60_000);

  it("times tokens as they are made, even those no text callback sees until the reply ends", async () => {
    const { writeStrayByteModel } = await import("../support/tinyModels");
    const file = await writeStrayByteModel(path.join(tempDir(), "stray-bytes.gguf"));
    const model = await real.library.import(file, "reference");
    await loadLibraryModel(real.engine, real.library, model.id, { threads: 1 });
    const started = await real.chat.send(calls["chat.send"].input.parse({ text: "Say nothing", sampling: { maxTokens: 64, temperature: 0 } }));
    const { message, error } = await real.chat.wait(started.requestId);
    expect(error).toBeNull();
    expect(message!.completionTokens).toBe(64);
    // Held back to the end, the tokens would seem made all at once (millions a second); timed as
    // made, they take what a decode takes (a tenth of a millisecond or more, even for this model).
    expect(message!.tokensPerSecond).toBeGreaterThan(0);
    expect(message!.tokensPerSecond!).toBeLessThan(50_000);
  }, 60_000);
});
