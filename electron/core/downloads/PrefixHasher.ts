import { createHash } from "node:crypto";
import fs from "node:fs/promises";

const READ_BYTES = 1 << 20;

/**
 * SHA-256 of a file that is written in pieces, hashed in order as its gap-free prefix grows.
 * Bytes written right at the hashed end are hashed from memory as they go by (`offer`), so a
 * single connection's download is never read back; bytes that arrived ahead of it (another
 * segment, or a resumed file's earlier bytes) are read back from disk once the gap before them
 * is filled (`follow`).
 */
export class PrefixHasher {
  private readonly hash = createHash("sha256");
  private hashed = 0;
  private reading: Promise<void> | null = null;
  private failure: unknown = null;

  /** `written()` gives how far the file is written without a gap. */
  constructor(
    private readonly path: string,
    private readonly written: () => number,
  ) {}

  /** Bytes about to be written at `position`: hashed now when they continue the hashed prefix. */
  offer(position: number, bytes: Uint8Array): void {
    if (this.reading || position > this.hashed || position + bytes.byteLength <= this.hashed) return;
    this.hash.update(bytes.subarray(this.hashed - position));
    this.hashed = position + bytes.byteLength;
  }

  /**
   * Catches up from disk if the written prefix is ahead of the hash (one reader at a time).
   * Never rejects: a failed read is reported by `digest`.
   */
  follow(): Promise<void> {
    if (!this.reading && !this.failure && this.hashed < this.written()) {
      this.reading = this.readBack()
        .catch((error: unknown) => {
          this.failure = error;
        })
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading ?? Promise.resolve();
  }

  /** The digest, once the whole `size` bytes are written and hashed. */
  async digest(size: number): Promise<string> {
    while (this.hashed < size) {
      if (this.failure) throw this.failure;
      if (this.written() < size) throw new Error(`only ${this.written()} of ${size} bytes were written`);
      await this.follow();
    }
    if (this.failure) throw this.failure;
    return this.hash.digest("hex");
  }

  private async readBack(): Promise<void> {
    const file = await fs.open(this.path, "r");
    try {
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      for (let target = this.written(); this.hashed < target; target = this.written()) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(READ_BYTES, target - this.hashed), this.hashed);
        if (bytesRead === 0) throw new Error(`${this.path} is shorter than the ${target} bytes written`);
        this.hash.update(buffer.subarray(0, bytesRead));
        this.hashed += bytesRead;
      }
    } finally {
      await file.close();
    }
  }
}
