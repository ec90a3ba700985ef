import { describe, expect, it } from "vitest";
import { RevealPace } from "../../renderer/src/lib/revealPace";

/** Frames of `frameMs` until all of `text` is shown; the length shown after each. */
function frames(pace: RevealPace, text: string, frameMs = 16): number[] {
  const shown: number[] = [];
  while (pace.shown < text.length) shown.push(pace.advance(text, frameMs));
  return shown;
}

describe("RevealPace", () => {
  it("reveals a batch evenly over about one batch interval instead of all at once", () => {
    const pace = new RevealPace(100);
    const text = "x".repeat(60);
    pace.arrived(text.length);
    const shown = frames(pace, text);
    expect(shown.length).toBeGreaterThanOrEqual(6); // ~100 ms of 16 ms frames
    expect(shown.length).toBeLessThanOrEqual(7);
    const steps = shown.map((end, i) => end - (shown[i - 1] ?? 0));
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(10); // even, not a jump
    expect(shown.at(-1)).toBe(60);
  });

  it("paces what is left of the backlog again when more text arrives", () => {
    const pace = new RevealPace(100);
    let text = "a".repeat(50);
    pace.arrived(text.length);
    pace.advance(text, 50); // half shown
    expect(pace.shown).toBe(25);
    text += "b".repeat(75);
    pace.arrived(text.length); // 100 left, over the next 100 ms
    expect(pace.advance(text, 50)).toBe(75);
    expect(pace.advance(text, 50)).toBe(125);
  });

  it("shows at least a character a frame and never more than there is", () => {
    const pace = new RevealPace(100);
    pace.arrived(3);
    expect(pace.advance("abc", 0)).toBe(1);
    expect(pace.advance("abc", 10_000)).toBe(3);
    expect(pace.advance("abc", 16)).toBe(3);
  });

  it("never ends the shown text inside a surrogate pair", () => {
    const pace = new RevealPace(100);
    const text = "a🙂b"; // the emoji is two UTF-16 units
    pace.arrived(text.length);
    expect(pace.advance(text, 0)).toBe(1);
    expect(text.slice(0, pace.advance(text, 0))).toBe("a🙂");
  });
});
