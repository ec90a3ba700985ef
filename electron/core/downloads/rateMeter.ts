/** Speed over the last few seconds (a sliding window), so the figure and the ETA follow changes without jitter. */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = [];
  private latest: { at: number; bytes: number } | null = null;

  constructor(
    private readonly windowMs = 5000,
    /** One kept sample per this many ms: a download reports every 64 KiB chunk, thousands a second. */
    private readonly sampleEveryMs = 100,
  ) {}

  /** Records the running total of bytes at a moment. */
  add(totalBytes: number, at = Date.now()): void {
    this.latest = { at, bytes: totalBytes };
    const last = this.samples.at(-1);
    if (last && at - last.at < this.sampleEveryMs) return;
    this.samples.push(this.latest);
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
    this.latest = null;
  }

  /** Bytes a second, or null until there is at least half a second to judge by. */
  bytesPerSecond(): number | null {
    const first = this.samples[0];
    const last = this.latest;
    if (!first || !last || last.at - first.at < 500) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  etaSeconds(remainingBytes: number): number | null {
    const rate = this.bytesPerSecond();
    return rate && rate > 0 ? Math.ceil(remainingBytes / rate) : null;
  }
}

/** Waits for the n-th retry (1-based): 1 s, 2 s, 4 s... capped, scaled by `unitMs`. */
export function backoffMs(attempt: number, unitMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, unitMs * 2 ** (attempt - 1));
}
