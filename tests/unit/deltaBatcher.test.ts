import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeltaBatcher } from "../../electron/core/engine/deltaBatcher";

describe("createDeltaBatcher", () => {
  afterEach(() => vi.useRealTimers());

  it("sends the first delta at once, then coalesces within the interval, keeping order across segments", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const emitted: [string, string][] = [];
    const batcher = createDeltaBatcher((text, segment) => emitted.push([text, segment]), 8);
    batcher.push("think", "thought");
    expect(emitted).toEqual([["think", "thought"]]);
    batcher.push("ing", "thought");
    batcher.push("Hel", "answer");
    batcher.push("lo", "answer");
    expect(emitted).toEqual([["think", "thought"], ["ing", "thought"]]);
    vi.advanceTimersByTime(8);
    expect(emitted).toEqual([["think", "thought"], ["ing", "thought"], ["Hello", "answer"]]);
    batcher.push("!", "answer");
    batcher.push("?", "answer");
    batcher.flush();
    expect(emitted.at(-1)).toEqual(["!?", "answer"]);
    expect(emitted.map(([text]) => text).join("")).toBe("thinkingHello!?");
  });
});
