import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeltaBatcher } from "../../electron/core/engine/deltaBatcher";

describe("createDeltaBatcher", () => {
  afterEach(() => vi.useRealTimers());

  it("sends the first delta on the next turn of the event loop, then coalesces within the interval, keeping order across segments", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"] });
    const emitted: [string, string][] = [];
    const batcher = createDeltaBatcher((text, segment) => emitted.push([text, segment]), 8);
    batcher.push("think", "thought");
    // Never inside push: that runs between a token and the next token's evaluation.
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(emitted).toEqual([["think", "thought"]]);
    batcher.push("ing", "thought");
    batcher.push("Hel", "answer"); // a new segment sends the one before it first
    batcher.push("lo", "answer");
    expect(emitted).toEqual([["think", "thought"], ["ing", "thought"]]);
    vi.advanceTimersByTime(7);
    expect(emitted).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([["think", "thought"], ["ing", "thought"], ["Hello", "answer"]]);
    batcher.push("!", "answer");
    batcher.push("?", "answer");
    batcher.flush();
    expect(emitted.at(-1)).toEqual(["!?", "answer"]);
    vi.advanceTimersByTime(100);
    expect(emitted.map(([text]) => text).join("")).toBe("thinkingHello!?");
  });
});
