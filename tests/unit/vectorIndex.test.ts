import { seededRandom } from "../support/seededRandom";
import { describe, expect, it } from "vitest";
import { VectorIndex } from "../../electron/core/documents/VectorIndex";

describe("the in-memory vector index", () => {
  it("finds the nearest neighbours (by 8-bit Euclidean distance) through its sign-bit prefilter", () => {
    const next = seededRandom(7);
    const dims = 384;
    const unit = (v: Float32Array) => {
      const length = Math.hypot(...v);
      return v.map((x) => x / length);
    };
    const code = (v: Float32Array) => Int8Array.from(v, (x) => Math.round(x * 127));
    const index = new VectorIndex(dims, 16);
    const stored: Float32Array[] = [];
    const codes: Int8Array[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = unit(Float32Array.from({ length: dims }, () => next() * 2 - 1));
      stored.push(v);
      codes.push(code(v));
      index.add(1000 + i, codes[i]!);
    }
    const distance = (a: Int8Array, b: Int8Array) => {
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
      return Math.sqrt(sum);
    };
    expect(index.count).toBe(5000);
    let worst = 0;
    for (let q = 0; q < 20; q++) {
      const target = stored[Math.floor(next() * stored.length)]!;
      // A paraphrase: near its passage (cosine ~0.8), as a real question is to the passage that answers it.
      const query = unit(target.map((x) => x + (next() * 2 - 1) * 0.05));
      const queryCode = code(query);
      const exact = codes
        .map((c, i) => ({ rowid: 1000 + i, distance: distance(c, queryCode) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, 10);
      const got = index.nearest(query, 10);
      expect(got).toHaveLength(10);
      expect(got[0]!.distance).toBeLessThanOrEqual(got[9]!.distance);
      // The tenth found is as near as the true tenth, within a hair (random vectors' other neighbours
      // are all about as near: which of them come back is chance, how near they are is not).
      worst = Math.max(worst, got[9]!.distance / exact[9]!.distance);
      // The passage the question was made from is always first.
      expect(got[0]!.rowid).toBe(exact[0]!.rowid);
    }
    expect(worst).toBeLessThan(1.02);
  });

  it("refuses a vector of another size", () => {
    expect(() => new VectorIndex(4).add(1, new Int8Array(3))).toThrow(/3 numbers in an index of 4/);
  });
});
