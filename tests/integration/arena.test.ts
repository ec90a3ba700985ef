import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { ArenaPacket, ArenaState } from "../../electron/shared/contract";
import { applyArenaPacket } from "../../electron/shared/progressPackets";
import { ArenaService } from "../../electron/core/bench/ArenaService";
import { createCore } from "../../electron/core/createCore";
import { createHandlers, invoke } from "../../electron/core/api/handlers";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const root = tempDir();
const core = createCore({ dataDir: path.join(root, "data"), backend: "cpu" });
const second = path.join(root, "second.gguf");
fs.copyFileSync(testModelPath, second);
const models = Promise.all([core.library.import(testModelPath, "reference"), core.library.import(second, "reference")]);

describe("arena", () => {
  it("sends one prompt to two models and streams both replies with their speed", async () => {
    const [a, b] = await models;
    const updates: ArenaState[] = [];
    let state: ArenaState | null = null;
    const packets: ArenaPacket[] = [];
    core.arena.onUpdate((packet) => {
      packets.push(packet);
      state = applyArenaPacket(state, packet);
      if (state) updates.push(state);
    });
    const handlers = createHandlers(core);
    const started = await invoke(handlers, "arena.start", { prompt: "Once upon a time", modelIds: [a.id, b.id], maxTokens: 48 });
    expect(started.ok).toBe(true);
    expect(await invoke(handlers, "arena.start", { prompt: "Again", modelIds: [a.id, b.id] })).toMatchObject({ ok: false, error: { code: "ENGINE_BUSY" } });
    await expect.poll(() => updates.at(-1)?.finished, { timeout: 60_000 }).toBe(true);
    const last = updates.at(-1)!;
    expect(last.mode).toBe("together");
    for (const side of last.sides) {
      expect(side.status).toBe("done");
      expect(side.text.length).toBeGreaterThan(0);
      expect(side.tokens).toBeGreaterThan(1);
      expect(side.tokensPerSecond).toBeGreaterThan(0);
      expect(side.timeToFirstTokenMs).toBeGreaterThan(0);
    }
    // Text came as deltas: no packet carried a side's whole text while it streamed.
    expect(packets.filter((p) => p.type === "text").every((p) => p.text.length < last.sides[p.side].text.length)).toBe(true);
    // Speed was live: some update showed a speed before the side was done.
    expect(updates.some((u) => u.sides.some((s) => s.status === "generating" && s.tokensPerSecond !== null))).toBe(true);
    // Nothing of the arena went into the conversations.
    expect(core.conversations.listConversations()).toEqual([]);
  });

  it("runs the models one after the other when both do not fit in free memory, and says so", async () => {
    const [a, b] = await models;
    const arena = new ArenaService(core.library, { backend: "cpu" }, null, () => 64 * 1024 * 1024);
    const updates: ArenaState[] = [];
    // Whole states come only when a status changes; text comes as deltas.
    arena.onUpdate((packet) => packet.type === "state" && updates.push(packet.state));
    const final = await arena.start({ prompt: "Once upon a time", modelIds: [a.id, b.id], maxTokens: 24 }).done;
    expect(final.mode).toBe("oneAfterTheOther");
    expect(final.reason).toMatch(/one after the other/);
    expect(final.sides.map((s) => s.status)).toEqual(["done", "done"]);
    // The second model did not start loading before the first was done.
    const secondStarts = updates.findIndex((u) => u.sides[1].status === "loading");
    expect(updates[secondStarts]!.sides[0].status).toBe("done");
  });

  it("refuses an empty prompt and an unknown model", async () => {
    const handlers = createHandlers(core);
    const [a] = await models;
    expect(await invoke(handlers, "arena.start", { prompt: "  ", modelIds: [a.id, a.id] })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: expect.stringMatching(/empty/) },
    });
    expect(await invoke(handlers, "arena.start", { prompt: "Hi", modelIds: [a.id, "nope"] })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    await core.close();
  });
});
