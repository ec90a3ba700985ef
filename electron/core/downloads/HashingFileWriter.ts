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
    const buffer = Buffer.allocUnsafe(1 << 20);
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
// Writes run on libuv's pool, one at a time and in order, while this thread hashes the next buffer.
let writing = Promise.resolve();
const writeAll = (bytes) => new Promise((resolve, reject) => {
  const step = (offset) => fs.write(fd, bytes, offset, bytes.length - offset, null, (error, written) => {
    if (error) return reject(error);
    if (offset + written < bytes.length) return step(offset + written);
    resolve();
  });
  step(0);
});
parentPort.on("message", (message) => {
  if (message.type === "data") {
    const bytes = new Uint8Array(message.buffer, 0, message.length);
    const written = writing.then(() => writeAll(bytes));
    writing = written;
    hash.update(bytes);
    // The buffer goes back to be filled again once it is on disk.
    written.then(() => parentPort.postMessage({ type: "free", buffer: message.buffer }, [message.buffer]), fail);
  } else {
    writing.then(() => {
      fs.closeSync(fd);
      parentPort.postMessage({ type: "closed", hex: hash.digest("hex") });
    }, fail);
  }
});
`;

type FromWorker =
  | { type: "ready" }
  | { type: "free"; buffer: ArrayBuffer }
  | { type: "closed"; hex: string }
  | { type: "error"; code: string | null; message: string };

const BUFFER_BYTES = 1 << 20;
/** Buffers in circulation: what may wait between the socket and the disk (16 MiB). */
const POOL_SIZE = 16;
const FLUSH_AFTER_MS = 250;

/**
 * Writes a download to its `.part` file and hashes it with SHA-256, on a thread of its own, as
 * the bytes arrive (never a second pass): hashing beside the socket on the receiving thread
 * halved loopback speed on the 2-core build machine. Arriving bytes are copied into a fixed pool
 * of 1 MiB buffers that travel to the worker and back, so memory stays the same whatever the
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

  /** Copies the bytes into the pool; waits when every buffer is on its way to the disk. */
  async write(chunk: Uint8Array): Promise<void> {
    await this.ready;
    for (let at = 0; at < chunk.byteLength; ) {
      if (this.failure) throw this.failure;
      if (!this.current) this.current = await this.takeBuffer();
      const take = Math.min(chunk.byteLength - at, this.current.byteLength - this.fill);
      if (this.fill === 0) this.filledSince = Date.now();
      this.current.set(chunk.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      // A slow transfer still reaches the disk every quarter second, so a crash loses little.
      if (this.fill === this.current.byteLength || Date.now() - this.filledSince > FLUSH_AFTER_MS) this.flush();
    }
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

  private async takeBuffer(): Promise<Uint8Array> {
    while (this.free.length === 0 && this.created >= POOL_SIZE && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
    const buffer = this.free.pop();
    if (buffer) return new Uint8Array(buffer);
    this.created++;
    return new Uint8Array(BUFFER_BYTES);
  }

  private wakeUp(): void {
    this.wake?.();
    this.wake = null;
  }
}
