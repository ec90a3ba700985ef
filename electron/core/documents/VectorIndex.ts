/**
 * A collection's vectors in memory, for nearest-neighbour search at scale: each passage's 8-bit
 * vector (as stored) and its signs as bits. A query first ranks every passage by Hamming distance
 * between sign bits (a popcount over 48 bytes for 384 numbers), then measures the best few hundred
 * exactly on their 8-bit vectors. sqlite-vec's exact scan of 100,000 passages took ~30 ms here;
 * this takes a few.
 */
export class VectorIndex {
  private rowids: Float64Array;
  private bits: Uint32Array;
  private codes: Int8Array;
  private size = 0;
  private readonly words: number;

  constructor(
    readonly dims: number,
    capacity = 1024,
  ) {
    this.words = Math.ceil(dims / 32);
    this.rowids = new Float64Array(capacity);
    this.bits = new Uint32Array(capacity * this.words);
    this.codes = new Int8Array(capacity * dims);
  }

  get count(): number {
    return this.size;
  }

  /** A stored passage's 8-bit vector. */
  add(rowid: number, code: Int8Array): void {
    if (code.length !== this.dims) throw new Error(`a vector of ${code.length} numbers in an index of ${this.dims}`);
    if (this.size === this.rowids.length) this.grow();
    const at = this.size++;
    this.rowids[at] = rowid;
    this.codes.set(code, at * this.dims);
    const bits = this.bits;
    for (let i = 0; i < this.dims; i++) if (code[i]! > 0) bits[at * this.words + (i >>> 5)]! |= 1 << (i & 31);
  }

  /**
   * The `k` passages nearest to `query` (a unit vector), nearest first, with their Euclidean
   * distance between 8-bit vectors; `oversample` times as many are measured exactly.
   */
  nearest(query: Float32Array, k: number, oversample = 16): { rowid: number; distance: number }[] {
    const { words, dims, size } = this;
    const queryBits = new Uint32Array(words);
    const queryCode = new Int8Array(dims);
    for (let i = 0; i < dims; i++) {
      const x = query[i]!;
      if (x > 0) queryBits[i >>> 5]! |= 1 << (i & 31);
      queryCode[i] = Math.max(-128, Math.min(127, Math.round(x * 127)));
    }
    // Hamming distances, then the cut that keeps the best `wanted` (a histogram: distances are small integers).
    const hamming = new Uint16Array(size);
    const histogram = new Uint32Array(dims + 1);
    for (let row = 0; row < size; row++) {
      let distance = 0;
      const base = row * words;
      for (let w = 0; w < words; w++) distance += popcount(this.bits[base + w]! ^ queryBits[w]!);
      hamming[row] = distance;
      histogram[distance]!++;
    }
    const wanted = Math.min(size, k * oversample);
    let cut = 0;
    for (let seen = 0; cut <= dims && seen + histogram[cut]! < wanted; cut++) seen += histogram[cut]!;
    const scored: { rowid: number; distance: number }[] = [];
    for (let row = 0; row < size; row++) {
      if (hamming[row]! > cut) continue;
      let sum = 0;
      const base = row * dims;
      for (let i = 0; i < dims; i++) {
        const d = this.codes[base + i]! - queryCode[i]!;
        sum += d * d;
      }
      scored.push({ rowid: this.rowids[row]!, distance: Math.sqrt(sum) });
    }
    return scored.sort((a, b) => a.distance - b.distance).slice(0, k);
  }

  private grow(): void {
    const capacity = this.rowids.length * 2;
    const rowids = new Float64Array(capacity);
    rowids.set(this.rowids);
    const bits = new Uint32Array(capacity * this.words);
    bits.set(this.bits);
    const codes = new Int8Array(capacity * this.dims);
    codes.set(this.codes);
    this.rowids = rowids;
    this.bits = bits;
    this.codes = codes;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
