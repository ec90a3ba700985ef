/** A seeded generator of numbers in [0, 1), so a test that draws at random replays its failure. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}
