import { describe, expect, it } from "vitest";
import { EngineHost } from "../../electron/core/engine/EngineHost";
import type { HostToWorker, LoadResult, WorkerToHost } from "../../electron/core/engine/protocol";
import type { EngineProcess, SpawnEngine } from "../../electron/core/engine/spawnEngine";

/** An engine in this process that records what the host sends and answers loads at once. */
function recordingEngine(): { spawn: SpawnEngine; sent: HostToWorker[] } {
  const sent: HostToWorker[] = [];
  const spawn: SpawnEngine = () => {
    const listeners: ((message: WorkerToHost) => void)[] = [];
    const exits: ((code: number | null, signal: string | null) => void)[] = [];
    const emit = (message: WorkerToHost) =>
      setImmediate(() => {
        for (const listener of listeners) listener(message);
      });
    const exit = () =>
      setImmediate(() => {
        for (const listener of exits) listener(0, null);
      });
    const engine: EngineProcess = {
      pid: undefined,
      onMessage: (listener) => void listeners.push(listener),
      onExit: (listener) => void exits.push(listener),
      kill: exit,
      send(message) {
        sent.push(message);
        if (message.type === "shutdown") exit();
        else if (message.type === "load") {
          const value: LoadResult = { backend: "cpu", contextSize: 512, threads: 1, gpuLayers: 0, loadMs: 1, trainContextSize: 512 };
          emit({ type: "result", id: message.id, value });
        } else if (message.type === "abort") {
          emit({ type: "error", id: message.target, error: { code: "ABORTED", message: "Stopped." } });
        }
      },
    };
    emit({ type: "ready", backend: "cpu", build: "prebuilt" });
    return engine;
  };
  return { spawn, sent };
}

const request = { history: [{ role: "user" as const, text: "hi" }], sampling: {}, systemPrompt: null, overflow: "dropOldest" as const };

describe("stopping a reply", () => {
  it("before it reaches the engine: it never starts; an unknown id leaves nothing behind; a running one is stopped", async () => {
    const { spawn, sent } = recordingEngine();
    const host = new EngineHost({ backend: "cpu", spawn });
    await host.load({ id: "m", name: "m", path: "/m.gguf" }, { gpuLayers: "auto", flashAttention: false });

    const early = host.chat(request);
    host.abort(early.id);
    await expect(early.result).rejects.toMatchObject({ code: "ABORTED" });
    expect(sent.filter((m) => m.type === "chat")).toHaveLength(0);

    host.abort("no-such-reply");
    expect(sent.filter((m) => m.type === "abort")).toHaveLength(0);
    expect((host as unknown as { waitingReplies: Map<string, unknown> }).waitingReplies.size).toBe(0);

    const running = host.chat(request);
    await new Promise((resolve) => setTimeout(resolve, 20));
    host.abort(running.id);
    await expect(running.result).rejects.toMatchObject({ code: "ABORTED" });
    expect(sent.filter((m) => m.type === "abort")).toEqual([expect.objectContaining({ target: running.id })]);
    await host.dispose();
  });
});
