import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import type { BudgetLimits } from "../../electron/core/engine/MemoryBudget";
import { DEFAULT_CONTEXT_SIZE } from "../../electron/shared/defaults";
import { calls } from "../../electron/shared/contract";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

let limits: BudgetLimits = { ramBytes: Number.POSITIVE_INFINITY, vramBytes: null };
let core: Core;
let modelId: string;
/** What the test model is estimated to hold once loaded with the default context. */
let modelBytes: number;

beforeAll(async () => {
  core = createCore({ dataDir: path.join(tempDir("hearth-budget-"), "data"), backend: "cpu", keychain: null, memoryBudget: () => limits });
  const model = await core.library.import(testModelPath, "reference");
  modelId = model.id;
  modelBytes = (await core.hardware.estimateFit({ path: model.path, contextSize: DEFAULT_CONTEXT_SIZE })).ramBytes;
}, 60_000);

afterAll(async () => {
  await core.api.stop();
  await core.close();
});

const ask = (text: string, maxTokens: number) => core.chat.send(calls["chat.send"].input.parse({ text, modelId, sampling: { maxTokens } }));

async function apiReply(url: string, maxTokens = 4): Promise<{ status: number; body: { error?: { message: string } } }> {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: modelId, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: maxTokens }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { message: string } } };
}

describe("one memory budget for every engine process", () => {
  it("loading past the budget unloads the model nobody is using, least recently used first", async () => {
    // Room for one copy of the model, not two.
    limits = { ramBytes: modelBytes * 1.5, vramBytes: null };
    await core.chat.wait((await ask("Once upon a time", 4)).requestId);
    expect(core.engine.loadedModel?.id).toBe(modelId);

    // The API loads the same model in its own process: the chat's copy, idle, makes way.
    const api = await core.api.start({ port: 0, slots: 1 });
    expect((await apiReply(api.url!)).status).toBe(200);
    expect(core.api.status().model).toBe(modelId);
    expect(core.engine.state.status).toBe("idle");
    expect(core.engine.loadedModel).toBeNull();

    // The next chat turn loads it back; now the API's copy is the idle one (and the Server page is told).
    const pushed: (string | null)[] = [];
    const off = core.api.onChange((status) => pushed.push(status.model));
    const { error } = await core.chat.wait((await ask("The little dog", 4)).requestId);
    expect(error).toBeNull();
    expect(core.engine.loadedModel?.id).toBe(modelId);
    expect(core.api.status().load.running).toBe(0);
    await expect.poll(() => core.api.status().model).toBeNull();
    expect(pushed).toContain(null);
    off();
  }, 120_000);

  it("a model in use is never unloaded for another: the load is refused, with the reason", async () => {
    limits = { ramBytes: modelBytes * 1.5, vramBytes: null };
    const url = core.api.status().url!;
    const long = await ask("Once upon a time", 100_000);
    await expect.poll(() => core.engine.state.status).toBe("generating");
    const refused = await apiReply(url);
    expect(refused.status).toBe(503);
    expect(refused.body.error!.message).toMatch(/needs about .* and models in use hold the rest: stories260K/);
    core.chat.abort(long.requestId);
    await core.chat.wait(long.requestId);
    // Once the chat is idle, the same request gets its room.
    expect((await apiReply(url)).status).toBe(200);
  }, 120_000);

  it("a model bigger than the whole budget is refused before it loads, in words", async () => {
    limits = { ramBytes: modelBytes / 2, vramBytes: null };
    await expect(loadLibraryModel(core.engine, core.library, modelId)).rejects.toMatchObject({
      code: "OUT_OF_MEMORY",
      message: expect.stringMatching(/needs about .* of memory; Hearth's models may use/),
    });
    expect(core.engine.state.lastError?.code).toBe("OUT_OF_MEMORY");
  }, 60_000);
});
