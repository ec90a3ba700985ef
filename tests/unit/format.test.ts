import { describe, expect, it } from "vitest";
import { formatBytes, formatParams } from "../../electron/shared/format";
import { formatEta } from "../../renderer/src/lib/format";

describe("format", () => {
  it("writes sizes in decimal units with at most one decimal", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1_185_376)).toBe("1.2 MB");
    expect(formatBytes(4_370_000_000)).toBe("4.4 GB");
    expect(formatBytes(512e6)).toBe("512 MB");
  });

  it("writes parameter counts and times left", () => {
    expect(formatParams(292_608)).toBe("293K");
    expect(formatParams(1_544_000_000)).toBe("1.5B");
    expect(formatParams(null)).toBe("?");
    expect(formatEta(null)).toBe("–");
    expect(formatEta(42)).toBe("42 s");
    expect(formatEta(125)).toBe("2 min 5 s");
    expect(formatEta(7300)).toBe("2 h 1 min");
  });
});
