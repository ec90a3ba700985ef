import { describe, expect, it, vi } from "vitest";
import { createDeltaBatcher } from "../../electron/core/engine/deltaBatcher";

describe("createDeltaBatcher", () => {
  it("coalesces deltas within the interval and keeps order across segments", () => {
    vi.useFakeTimers();
    const emitted: [string, string][] = [];
    const batcher = createDeltaBatcher((text, segment) => emitted.push([text, segment]), 8);
    batcher.push("think", "thought");
    batcher.push("ing", "thought");
    batcher.push("Hel", "answer");
    batcher.push("lo", "answer");
    expect(emitted).toEqual([["thinking", "thought"]]);
    vi.advanceTimersByTime(8);
    expect(emitted).toEqual([["thinking", "thought"], ["Hello", "answer"]]);
    batcher.push("!", "answer");
    batcher.flush();
    expect(emitted.at(-1)).toEqual(["!", "answer"]);
    vi.useRealTimers();
  });
});
