import { createHash } from "node:crypto";
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { HearthError } from "../../shared/errors";

/** Bytes that may wait between the socket and the disk. A power of two (positions wrap at 2^31). */
const RING_BYTES = 16 << 20;
// 256 KiB: on the build machine's ext4, 1 MiB writes ran several times slower than 256 KiB ones.
const PIECE_BYTES = 256 << 10;

/** Slots of the shared control block (an Int32Array). Positions count bytes mod 2^31. */
const HEAD = 0; // bytes put into the ring (the receiver moves it)
const CLOSING = 1; // 1: no more bytes will come
const WAKE = 2; // moved (and notified) by the receiver to wake a sleeping writer
const TAIL = 3; // bytes written to the file
const SLEEPING = 4; // 1: the writer waits and must be woken
const GO = 5; // 1: the writer thread owns the file from TAIL on (until then the receiver writes)
const POSITION_MASK = 0x7fffffff;
/** A receive area smaller than this is not offered (many tiny reads cost more than a copy). */
const MIN_AREA_BYTES = 64 << 10;
const MAX_AREA_BYTES = 1 << 20;

// Inline source (a CommonJS script), so it runs the same under tsx, the bundled Electron main
// process and the CLI, with no separate file to locate. It says it is up, waits to be given the
// file, then appends the ring's bytes from TAIL as HEAD moves.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { path, control, ring } = workerData;
const ctrl = new Int32Array(control);
const bytes = new Uint8Array(ring);
try {
  parentPort.postMessage({ type: "ready" });
  while (Atomics.load(ctrl, ${GO}) === 0) Atomics.wait(ctrl, ${GO}, 0);
  const fd = fs.openSync(path, "a");
  for (;;) {
    const head = Atomics.load(ctrl, ${HEAD});
    const tail = ctrl[${TAIL}];
    const waiting = (head - tail) & ${POSITION_MASK};
    if (waiting === 0) {
      if (Atomics.load(ctrl, ${CLOSING}) === 1 && Atomics.load(ctrl, ${HEAD}) === head) break;
      // Say so, then look again: a receiver that moved HEAD or closed after that look has also
      // moved WAKE, so the wait returns at once rather than miss it.
      Atomics.store(ctrl, ${SLEEPING}, 1);
      const wake = Atomics.load(ctrl, ${WAKE});
      if (Atomics.load(ctrl, ${HEAD}) === head && Atomics.load(ctrl, ${CLOSING}) === 0) Atomics.wait(ctrl, ${WAKE}, wake);
      Atomics.store(ctrl, ${SLEEPING}, 0);
      continue;
    }
    const start = tail % ${RING_BYTES};
    const piece = bytes.subarray(start, start + Math.min(waiting, ${RING_BYTES} - start, ${PIECE_BYTES}));
    // Synchronous: this thread has nothing else to do, and a hop to libuv's pool per write cost more.
    for (let written = 0; written < piece.length; ) written += fs.writeSync(fd, piece, written);
    Atomics.store(ctrl, ${TAIL}, (tail + piece.length) & ${POSITION_MASK});
    Atomics.notify(ctrl, ${TAIL});
  }
  fs.closeSync(fd);
  parentPort.postMessage({ type: "done" });
} catch (error) {
  parentPort.postMessage({ type: "error", code: error.code ?? null, message: error.message });
}
`;

type FromWorker = { type: "ready" } | { type: "done" } | { type: "error"; code: string | null; message: string };

/**
 * Writes a download to its `.part` file and hashes it with SHA-256 as the bytes arrive (never a
 * second pass). Bytes go into a 16 MiB ring of shared memory; the socket can read straight into
 * it (`receiveArea`), so most bytes are never copied by JavaScript. The receiving thread hashes
 * them there, while they are still in its cache (a hashing thread of its own cost 10% more CPU),
 * and a worker thread writes them to the file, meeting the receiver through atomics with no
 * message per chunk (messages cost about as much CPU as the receiving itself). A thread takes
 * 0.1–0.2 s to start on the 2-core build machine, a fifth of a gigabyte's download on loopback,
 * so until it is up the receiver writes the first bytes itself. Memory stays the same whatever
 * the file's size, and a full ring makes the receiver wait (back-pressure). A resumed file's
 * earlier bytes are hashed from disk first.
 */
export class HashingFileWriter {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
  private readonly ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  private readonly hash = createHash("sha256");
  /** Ring position hashed up to (this thread's own; HEAD's units). */
  private hashed = 0;
  /** Resolves once a resumed file's earlier bytes are hashed; ring bytes wait for it. */
  private readonly prefix: Promise<void>;
  private prefixHashed = false;
  /** The file, written from this thread until the worker is up; null after the hand-over. */
  private ownFd: number | null = null;
  private failure: Error | null = null;
  /** Bytes that did not fit in the ring, on their way in, in order. */
  private backlog: Promise<void> | null = null;
  /** Resolves when the worker has written everything and closed the file. */
  private readonly written: Promise<void>;

  /** Opens `path` for writing after its first `prefixBytes` (0: a new file), hashing those first. */
  constructor(private readonly path: string, prefixBytes: number) {
    try {
      this.ownFd = fs.openSync(path, prefixBytes > 0 ? "a" : "w");
    } catch (error) {
      this.fail(this.writeError(error));
    }
    this.prefix = this.hashPrefix(prefixBytes);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path, control: this.control.buffer, ring: this.ring.buffer } });
    this.written = new Promise<void>((resolve, reject) => {
      this.worker.on("message", (message: FromWorker) => {
        if (message.type === "ready") return this.handOver();
        if (message.type === "done") return resolve();
        reject(this.fail(this.writeError(message)));
      });
      this.worker.on("error", (error) => reject(this.fail(error)));
    });
    // Failures are reported through write() and close().
    this.written.catch(() => undefined);
  }

  /**
   * Copies the bytes into the ring (the caller may reuse `chunk` as soon as this returns).
   * Returns nothing when they fit at once (the usual case: no promise per chunk), or a promise
   * to await when the ring is full; the bytes that did not fit are copied aside and follow in
   * order, after any others waiting.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    // Received in place, at the start of the last receiveArea: only published.
    if (chunk.buffer === this.ring.buffer && !this.backlog && chunk.byteOffset === this.control[HEAD]! % RING_BYTES) {
      this.publish(chunk.byteLength);
      return undefined;
    }
    // new Uint8Array(view) copies (a Buffer's slice would not).
    if (this.backlog) return this.queue(new Uint8Array(chunk));
    const taken = this.fillRing(chunk);
    return taken === chunk.byteLength ? undefined : this.queue(new Uint8Array(chunk.subarray(taken)));
  }

  /**
   * Where the next bytes may be received in place (a socket reading straight into the ring),
   * then handed to `write` as the view's first bytes. Null when the ring's contiguous free room
   * is small or bytes wait to go in (they come first); the caller then reads elsewhere and
   * `write` copies. Valid until the next write.
   */
  receiveArea(): Uint8Array | null {
    if (this.backlog || this.failure) return null;
    const head = this.control[HEAD]!;
    const start = head % RING_BYTES;
    const room = Math.min(RING_BYTES - this.used(head), RING_BYTES - start, MAX_AREA_BYTES);
    return room >= MIN_AREA_BYTES ? this.ring.subarray(start, start + room) : null;
  }

  /** Writes everything handed over, closes the file, and gives the SHA-256 of the whole file. */
  async close(): Promise<string> {
    try {
      await this.backlog;
      await this.prefix;
      if (this.failure) throw this.failure;
      if (this.ownFd !== null) {
        // The worker never took over: everything is written already.
        fs.closeSync(this.ownFd);
        this.ownFd = null;
      } else {
        Atomics.store(this.control, CLOSING, 1);
        this.wakeWriter();
        await this.written;
      }
      return this.hash.digest("hex");
    } finally {
      await this.destroy();
    }
  }

  /** Stops at once; bytes not yet written are dropped (the file keeps a clean prefix). */
  async destroy(): Promise<void> {
    if (this.ownFd !== null) fs.closeSync(this.ownFd);
    this.ownFd = null;
    await this.worker.terminate();
  }

  /** The worker is up: it writes from here on (this thread is between writes: it runs this). */
  private handOver(): void {
    if (this.ownFd === null) return; // failed to open, or closed
    fs.closeSync(this.ownFd);
    this.ownFd = null;
    Atomics.store(this.control, GO, 1);
    Atomics.notify(this.control, GO);
  }

  private async hashPrefix(prefixBytes: number): Promise<void> {
    try {
      if (prefixBytes > 0) {
        const input = await fs.promises.open(this.path, "r");
        try {
          const buffer = Buffer.allocUnsafe(1 << 20);
          for (let at = 0; at < prefixBytes; ) {
            const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, prefixBytes - at), at);
            if (bytesRead === 0) throw new Error("the partial file is shorter than expected");
            this.hash.update(buffer.subarray(0, bytesRead));
            at += bytesRead;
          }
        } finally {
          await input.close();
        }
      }
      this.prefixHashed = true;
      this.hashRing();
    } catch (error) {
      this.fail(this.writeError(error));
    }
  }

  private fail(error: Error): Error {
    this.failure ??= error;
    // Wake a receiver waiting for room: it finds the failure.
    Atomics.notify(this.control, TAIL);
    return this.failure;
  }

  private writeError(error: unknown): Error {
    const { code, message } = error as { code?: string | null; message?: string };
    return code === "ENOSPC"
      ? new HearthError("DISK_FULL", `The disk filled up while writing ${this.path}; the bytes already written are kept for a resume.`)
      : new Error(`Writing ${this.path} failed: ${message ?? String(error)}`);
  }

  /** Bytes in the ring not yet both written and hashed. */
  private used(head: number): number {
    return Math.max((head - Atomics.load(this.control, TAIL)) & POSITION_MASK, (head - this.hashed) & POSITION_MASK);
  }

  /** Copies as much of `chunk` into the ring as there is room for; returns how much. */
  private fillRing(chunk: Uint8Array): number {
    const head = this.control[HEAD]!;
    const take = Math.min(chunk.byteLength, RING_BYTES - this.used(head));
    if (take === 0) return 0;
    const start = head % RING_BYTES;
    const first = Math.min(take, RING_BYTES - start);
    // (set copies correctly when chunk is itself in the ring: a chunked body read in place.)
    this.ring.set(first === chunk.byteLength ? chunk : chunk.subarray(0, first), start);
    if (take > first) this.ring.set(chunk.subarray(first, take), 0);
    this.publish(take);
    return take;
  }

  /** The next `bytes` of the ring hold data: hash them, and write them or let the worker. */
  private publish(bytes: number): void {
    Atomics.store(this.control, HEAD, (this.control[HEAD]! + bytes) & POSITION_MASK);
    this.hashRing();
    if (this.ownFd !== null) this.writeRing();
    else if (Atomics.load(this.control, SLEEPING) === 1) this.wakeWriter();
  }

  private hashRing(): void {
    if (!this.prefixHashed) return;
    const head = this.control[HEAD]!;
    while (this.hashed !== head) {
      const start = this.hashed % RING_BYTES;
      const length = Math.min((head - this.hashed) & POSITION_MASK, RING_BYTES - start);
      this.hash.update(this.ring.subarray(start, start + length));
      this.hashed = (this.hashed + length) & POSITION_MASK;
    }
  }

  /** Before the hand-over: this thread writes what the ring holds. */
  private writeRing(): void {
    const head = this.control[HEAD]!;
    try {
      for (let tail = this.control[TAIL]!; tail !== head; ) {
        const start = tail % RING_BYTES;
        const piece = this.ring.subarray(start, start + Math.min((head - tail) & POSITION_MASK, RING_BYTES - start, PIECE_BYTES));
        for (let written = 0; written < piece.length; ) written += fs.writeSync(this.ownFd!, piece, written);
        tail = (tail + piece.length) & POSITION_MASK;
        Atomics.store(this.control, TAIL, tail);
      }
    } catch (error) {
      this.fail(this.writeError(error));
    }
  }

  private wakeWriter(): void {
    Atomics.add(this.control, WAKE, 1);
    Atomics.notify(this.control, WAKE);
  }

  /** `rest` (a copy) goes into the ring after everything queued before it, as room is freed. */
  private queue(rest: Uint8Array): Promise<void> {
    const done = (this.backlog ?? Promise.resolve()).then(async () => {
      for (let at = 0; ; ) {
        if (this.failure) throw this.failure;
        at += this.fillRing(rest.subarray(at));
        if (at === rest.byteLength) return;
        if (!this.prefixHashed) {
          await this.prefix; // the ring is held by bytes waiting for the earlier part's hash
          continue;
        }
        // Wait, without blocking the event loop, for the writer to move its tail.
        const tail = Atomics.load(this.control, TAIL);
        if (((this.control[HEAD]! - tail) & POSITION_MASK) === RING_BYTES && !this.failure) await Atomics.waitAsync(this.control, TAIL, tail).value;
      }
    });
    this.backlog = done;
    const clear = () => {
      if (this.backlog === done) this.backlog = null;
    };
    done.then(clear, clear);
    return done;
  }
}
