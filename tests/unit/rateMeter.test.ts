import { describe, expect, it } from "vitest";
import { backoffMs, RateMeter } from "../../electron/core/downloads/rateMeter";

describe("RateMeter", () => {
  it("measures over a sliding window and estimates the time left", () => {
    const meter = new RateMeter(5000);
    meter.add(0, 0);
    expect(meter.bytesPerSecond()).toBeNull();
    meter.add(1_000_000, 1000);
    expect(meter.bytesPerSecond()).toBe(1_000_000);
    expect(meter.etaSeconds(3_000_000)).toBe(3);
    // Ten seconds later at a tenth of the speed: the old fast samples have left the window.
    for (let t = 2000; t <= 12_000; t += 1000) meter.add(1_000_000 + ((t - 1000) / 1000) * 100_000, t);
    expect(meter.bytesPerSecond()).toBeCloseTo(100_000, -3);
    meter.reset();
    expect(meter.etaSeconds(1)).toBeNull();
  });

  it("backs off exponentially up to a cap", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(20)).toBe(30_000);
  });
});
