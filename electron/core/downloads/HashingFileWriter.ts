import { Worker } from "node:worker_threads";
import { HearthError } from "../../shared/errors";

// Inline source (a CommonJS script), so it runs the same under tsx, the bundled Electron main
// process and the CLI, with no separate file to locate.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { createHash } = require("node:crypto");
const hash = createHash("sha256");
let fd = null;
const fail = (error) => parentPort.postMessage({ type: "error", code: error.code ?? null, message: error.message });
try {
  const { path, prefixBytes } = workerData;
  if (prefixBytes > 0) {
    const input = fs.openSync(path, "r");
    const buffer = Buffer.allocUnsafe(256 << 10);
    for (let at = 0; at < prefixBytes; ) {
      const read = fs.readSync(input, buffer, 0, Math.min(buffer.length, prefixBytes - at), at);
      if (read === 0) throw new Error("the partial file is shorter than expected");
      hash.update(buffer.subarray(0, read));
      at += read;
    }
    fs.closeSync(input);
  }
  fd = fs.openSync(path, prefixBytes > 0 ? "a" : "w");
  parentPort.postMessage({ type: "ready" });
} catch (error) {
  fail(error);
}
parentPort.on("message", (message) => {
  try {
    if (message.type === "data") {
      const bytes = new Uint8Array(message.buffer, 0, message.length);
      // Synchronous: this thread has nothing else to do, and a hop to libuv's pool per write cost more.
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written);
      hash.update(bytes);
      // The buffer goes back to be filled again.
      parentPort.postMessage({ type: "free", buffer: message.buffer }, [message.buffer]);
    } else {
      fs.closeSync(fd);
      parentPort.postMessage({ type: "closed", hex: hash.digest("hex") });
    }
  } catch (error) {
    fail(error);
  }
});
`;

type FromWorker =
  | { type: "ready" }
  | { type: "free"; buffer: ArrayBuffer }
  | { type: "closed"; hex: string }
  | { type: "error"; code: string | null; message: string };

// 256 KiB: on the build machine's ext4, 1 MiB writes ran 5x slower than 256 KiB ones (~1 vs ~7 GB/s).
const BUFFER_BYTES = 256 << 10;
/** Buffers in circulation: what may wait between the socket and the disk (16 MiB). */
const POOL_SIZE = 64;
const FLUSH_AFTER_MS = 250;

/**
 * Writes a download to its `.part` file and hashes it with SHA-256, on a thread of its own, as
 * the bytes arrive (never a second pass): hashing beside the socket on the receiving thread
 * halved loopback speed on the 2-core build machine. Arriving bytes are copied into a fixed pool
 * of 256 KiB buffers that travel to the worker and back, so memory stays the same whatever the
 * file's size, and a full pool makes the receiver wait (back-pressure). A resumed file's earlier
 * bytes are hashed from disk first, in the worker too.
 */
export class HashingFileWriter {
  private readonly worker: Worker;
  private readonly free: ArrayBuffer[] = [];
  private created = 0;
  private current: Uint8Array | null = null;
  private fill = 0;
  private filledSince = 0;
  private wake: (() => void) | null = null;
  private closing: ((hex: string) => void) | null = null;
  private failure: Error | null = null;
  private readonly ready: Promise<void>;

  /** Opens `path` for writing after its first `prefixBytes` (0: a new file), hashing those first. */
  constructor(path: string, prefixBytes: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, prefixBytes } });
    this.ready = new Promise((resolve) => {
      this.worker.on("message", (message: FromWorker) => {
        switch (message.type) {
          case "ready":
            resolve();
            break;
          case "free":
            this.free.push(message.buffer);
            this.wakeUp();
            break;
          case "closed":
            this.closing?.(message.hex);
            break;
          case "error":
            this.failure =
              message.code === "ENOSPC"
                ? new HearthError("DISK_FULL", `The disk filled up while writing ${path}; the bytes already written are kept for a resume.`)
                : new Error(`Writing ${path} failed: ${message.message}`);
            resolve();
            this.wakeUp();
            this.closing?.("");
            break;
          default: {
            const unknown: never = message;
            throw new Error(`Unknown writer message ${JSON.stringify(unknown)}`);
          }
        }
      });
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      this.wakeUp();
      this.closing?.("");
    });
  }

  /**
   * Copies the bytes into the pool. Returns nothing when they fit at once (the usual case: no
   * promise per chunk), or a promise to await when every buffer is on its way to the disk.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    for (let at = 0; at < chunk.byteLength; ) {
      if (!this.current) {
        const buffer = this.freeBuffer();
        if (!buffer) return this.writeLater(chunk.subarray(at));
        this.current = buffer;
      }
      const take = Math.min(chunk.byteLength - at, this.current.byteLength - this.fill);
      if (this.fill === 0) this.filledSince = Date.now();
      this.current.set(chunk.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      // A slow transfer still reaches the disk every quarter second, so a crash loses little.
      if (this.fill === this.current.byteLength || Date.now() - this.filledSince > FLUSH_AFTER_MS) this.flush();
    }
    return undefined;
  }

  private async writeLater(rest: Uint8Array): Promise<void> {
    await this.ready;
    while (!this.failure && this.free.length === 0 && this.created >= POOL_SIZE) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
    await this.write(rest);
  }

  /** Writes everything handed over, closes the file, and gives the SHA-256 of the whole file. */
  async close(): Promise<string> {
    await this.ready;
    if (this.failure) throw this.failure;
    this.flush();
    const hex = new Promise<string>((resolve) => (this.closing = resolve));
    this.worker.postMessage({ type: "close" });
    const digest = await hex;
    await this.worker.terminate();
    if (this.failure) throw this.failure;
    return digest;
  }

  /** Stops at once; bytes not yet written are dropped (the file keeps a clean prefix). */
  async destroy(): Promise<void> {
    await this.worker.terminate();
  }

  private flush(): void {
    if (!this.current || this.fill === 0) return;
    const buffer = this.current.buffer as ArrayBuffer;
    this.worker.postMessage({ type: "data", buffer, length: this.fill }, [buffer]);
    this.current = null;
    this.fill = 0;
  }

  /** A buffer to fill: a returned one, or a new one while the pool is not full; null when all are out. */
  private freeBuffer(): Uint8Array | null {
    const buffer = this.free.pop();
    if (buffer) return new Uint8Array(buffer);
    if (this.created >= POOL_SIZE) return null;
    this.created++;
    return new Uint8Array(BUFFER_BYTES);
  }

  private wakeUp(): void {
    this.wake?.();
    this.wake = null;
  }
}
