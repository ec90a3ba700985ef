import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeltaBatcher } from "../../electron/core/engine/worker/deltaBatcher";

describe("createDeltaBatcher", () => {
  afterEach(() => vi.useRealTimers());

  it("sends the first delta at once, later ones on a later turn of the event loop, coalesced within the interval, keeping order across segments", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"] });
    const emitted: [string, string][] = [];
    const batcher = createDeltaBatcher((text, segment) => emitted.push([text, segment]), 8);
    batcher.push("think", "thought");
    expect(emitted).toEqual([["think", "thought"]]); // the time to first token
    batcher.push("ing", "thought");
    batcher.push("Hel", "answer"); // a new segment sends the one before it first
    batcher.push("lo", "answer");
    expect(emitted).toEqual([
      ["think", "thought"],
      ["ing", "thought"],
    ]);
    vi.advanceTimersByTime(7);
    expect(emitted).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([
      ["think", "thought"],
      ["ing", "thought"],
      ["Hello", "answer"],
    ]);
    // After a quiet spell: not inside push (it runs between a token and the next one's evaluation), but next turn.
    vi.advanceTimersByTime(50);
    batcher.push("!", "answer");
    expect(emitted).toHaveLength(3);
    vi.advanceTimersByTime(0);
    expect(emitted.at(-1)).toEqual(["!", "answer"]);
    batcher.push("?", "answer");
    batcher.flush();
    expect(emitted.at(-1)).toEqual(["?", "answer"]);
    vi.advanceTimersByTime(100);
    expect(emitted.map(([text]) => text).join("")).toBe("thinkingHello!?");
    expect(emitted).toHaveLength(5);
  });

  it("by default sends at most ten messages a second, however fast tokens come, and loses none of the text", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"] });
    for (const tokenMs of [33, 5]) {
      const emitted: string[] = [];
      const batcher = createDeltaBatcher((text) => emitted.push(text));
      let sent = "";
      // One second of tokens: at a 1B model's pace on this machine (33 ms), then a fast one's.
      for (let elapsed = 0; elapsed < 1000; elapsed += tokenMs) {
        batcher.push("x", "answer", 1);
        sent += "x";
        vi.advanceTimersByTime(tokenMs);
      }
      batcher.flush();
      expect(emitted.length).toBeGreaterThanOrEqual(10);
      expect(emitted.length).toBeLessThanOrEqual(12); // the first at once, then one per 100 ms, then the end
      expect(emitted.join("")).toBe(sent);
    }
  });
});
