import type { FileHandle } from "node:fs/promises";
import { Writable } from "node:stream";
import type { Segment } from "./segments";

/** Bytes a connection may have received and not yet written before it waits (back-pressure). */
const BUFFER_BYTES = 8 << 20;

/**
 * Writes one connection's bytes at their place in the file, advancing its segment's `at` once
 * they are written (never before: the record beside the file must not run ahead of it). While a
 * write is in flight the next bytes gather, and go out together in one `writev`: the receiving
 * never waits for each write, and a gigabyte takes a few thousand writes, not sixteen thousand.
 * Bytes past the segment's end (which moves down when another connection takes its rest) are
 * dropped.
 */
export class SegmentWriter extends Writable {
  constructor(
    private readonly file: FileHandle,
    private readonly segment: Segment,
    private readonly onWritten: () => void,
  ) {
    super({ highWaterMark: BUFFER_BYTES });
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    const room = this.segment.end - this.segment.at;
    const buffers: Buffer[] = [];
    let length = 0;
    for (const { chunk } of chunks) {
      if (length >= room) break;
      const take = Math.min(chunk.byteLength, room - length);
      buffers.push(take === chunk.byteLength ? chunk : chunk.subarray(0, take));
      length += take;
    }
    if (length === 0) callback();
    else this.writeAll(buffers, length).then(() => callback(), callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this._writev([{ chunk }], callback);
  }

  private async writeAll(buffers: Buffer[], length: number): Promise<void> {
    let { bytesWritten } = await this.file.writev(buffers, this.segment.at);
    // A short write (rare: a signal, a full disk's last bytes) goes on from where it stopped.
    while (bytesWritten < length) {
      const rest = Buffer.concat(buffers).subarray(bytesWritten);
      bytesWritten += (await this.file.write(rest, 0, rest.byteLength, this.segment.at + bytesWritten)).bytesWritten;
    }
    // The end may have moved down meanwhile (its rest was taken): those bytes are the same either way.
    this.segment.at = Math.min(this.segment.end, this.segment.at + length);
    this.onWritten();
  }
}
