import { Worker } from "node:worker_threads";
import { HearthError } from "../../shared/errors";

/** Bytes that may wait between the socket and the disk. A power of two (positions wrap at 2^31). */
const RING_BYTES = 16 << 20;
// 256 KiB: on the build machine's ext4, 1 MiB writes ran several times slower than 256 KiB ones.
const PIECE_BYTES = 256 << 10;

/** Slots of the shared control block (an Int32Array). Positions count bytes mod 2^31. */
const HEAD = 0; // bytes put into the ring (the receiver moves it)
const CLOSING = 1; // 1: no more bytes will come
const WAKE = 2; // moved (and notified) by the receiver to wake sleeping workers
/** Per worker (role 0 writes the file, role 1 hashes): how far it got, and whether it sleeps. */
const TAIL = [3, 4] as const;
const SLEEPING = [5, 6] as const;
const POSITION_MASK = 0x7fffffff;
/** A receive area smaller than this is not offered (many tiny reads cost more than a copy). */
const MIN_AREA_BYTES = 64 << 10;
const MAX_AREA_BYTES = 1 << 20;

// Inline source (a CommonJS script), so it runs the same under tsx, the bundled Electron main
// process and the CLI, with no separate file to locate. One script, two roles: the writer
// appends the ring's bytes to the file, the hasher feeds them to SHA-256 (after the bytes of a
// resumed file's earlier part, read back from disk). Each follows HEAD with its own tail.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { createHash } = require("node:crypto");
const { role, path, prefixBytes, control, ring } = workerData;
const ctrl = new Int32Array(control);
const bytes = new Uint8Array(ring);
const TAIL = role === "write" ? ${TAIL[0]} : ${TAIL[1]};
const SLEEPING = role === "write" ? ${SLEEPING[0]} : ${SLEEPING[1]};
try {
  let take;
  let finish;
  if (role === "write") {
    const fd = fs.openSync(path, prefixBytes > 0 ? "a" : "w");
    // Synchronous: this thread has nothing else to do, and a hop to libuv's pool per write cost more.
    take = (piece) => {
      for (let written = 0; written < piece.length; ) written += fs.writeSync(fd, piece, written);
    };
    finish = () => (fs.closeSync(fd), null);
  } else {
    const hash = createHash("sha256");
    if (prefixBytes > 0) {
      const input = fs.openSync(path, "r");
      const buffer = Buffer.allocUnsafe(${PIECE_BYTES});
      for (let at = 0; at < prefixBytes; ) {
        const read = fs.readSync(input, buffer, 0, Math.min(buffer.length, prefixBytes - at), at);
        if (read === 0) throw new Error("the partial file is shorter than expected");
        hash.update(buffer.subarray(0, read));
        at += read;
      }
      fs.closeSync(input);
    }
    take = (piece) => hash.update(piece);
    finish = () => hash.digest("hex");
  }
  for (;;) {
    const head = Atomics.load(ctrl, ${HEAD});
    const tail = ctrl[TAIL];
    const waiting = (head - tail) & ${POSITION_MASK};
    const start = tail % ${RING_BYTES};
    const length = Math.min(waiting, ${RING_BYTES} - start, ${PIECE_BYTES});
    if (waiting === 0) {
      if (Atomics.load(ctrl, ${CLOSING}) === 1 && Atomics.load(ctrl, ${HEAD}) === head) break;
      // Say so, then look again: a receiver that moved HEAD or closed after that look has also
      // moved WAKE, so the wait returns at once rather than miss it.
      Atomics.store(ctrl, SLEEPING, 1);
      const wake = Atomics.load(ctrl, ${WAKE});
      if (Atomics.load(ctrl, ${HEAD}) === head && Atomics.load(ctrl, ${CLOSING}) === 0) Atomics.wait(ctrl, ${WAKE}, wake);
      Atomics.store(ctrl, SLEEPING, 0);
      continue;
    }
    take(bytes.subarray(start, start + length));
    Atomics.store(ctrl, TAIL, (tail + length) & ${POSITION_MASK});
    Atomics.notify(ctrl, TAIL);
  }
  parentPort.postMessage({ type: "done", hex: finish() });
} catch (error) {
  parentPort.postMessage({ type: "error", code: error.code ?? null, message: error.message });
}
`;

type FromWorker = { type: "done"; hex: string | null } | { type: "error"; code: string | null; message: string };

/**
 * Writes a download to its `.part` file and hashes it with SHA-256 as the bytes arrive (never a
 * second pass). Bytes go into a 16 MiB ring of shared memory; one worker thread writes them to
 * the file and another hashes them, side by side, so neither waits for the other (on the 2-core
 * build machine, hashing beside the socket halved loopback speed, and hashing after each write
 * on one thread held the download to that thread's pace). The threads meet through atomics, with
 * no message per chunk (messages cost about as much CPU as the receiving itself). The socket can
 * read straight into the ring (`receiveArea`), so most bytes are never copied by JavaScript.
 * Memory stays the same whatever the file's size, and a full ring makes the receiver wait
 * (back-pressure). A resumed file's earlier bytes are hashed from disk first.
 */
export class HashingFileWriter {
  private readonly workers: Worker[];
  private readonly control = new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
  private readonly ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  private failure: Error | null = null;
  /** Bytes that did not fit in the ring, on their way in, in order. */
  private backlog: Promise<void> | null = null;
  /** The hash of the whole file, once both workers are done. */
  private readonly finished: Promise<string>;

  /** Opens `path` for writing after its first `prefixBytes` (0: a new file), hashing those first. */
  constructor(path: string, prefixBytes: number) {
    const shared = { path, prefixBytes, control: this.control.buffer, ring: this.ring.buffer };
    this.workers = (["write", "hash"] as const).map((role) => new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { ...shared, role } }));
    const [written, hashed] = this.workers.map(
      (worker) =>
        new Promise<string | null>((resolve, reject) => {
          worker.on("message", (message: FromWorker) => {
            if (message.type === "done") return resolve(message.hex);
            reject(this.fail(
              message.code === "ENOSPC"
                ? new HearthError("DISK_FULL", `The disk filled up while writing ${path}; the bytes already written are kept for a resume.`)
                : new Error(`Writing ${path} failed: ${message.message}`),
            ));
          });
          worker.on("error", (error) => reject(this.fail(error)));
        }),
    );
    this.finished = Promise.all([written, hashed]).then(([, hex]) => hex!);
    // Failures are reported through write() and close().
    this.finished.catch(() => undefined);
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
      Atomics.store(this.control, CLOSING, 1);
      this.wakeWorkers();
      return await this.finished;
    } finally {
      await this.destroy();
    }
  }

  /** Stops at once; bytes not yet written are dropped (the file keeps a clean prefix). */
  async destroy(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): Error {
    this.failure ??= error;
    // Wake a receiver waiting for room: it finds the failure.
    for (const tail of TAIL) Atomics.notify(this.control, tail);
    return this.failure;
  }

  /** Bytes in the ring that a worker has still to take: the slower worker decides. */
  private used(head: number): number {
    return Math.max(...TAIL.map((tail) => (head - Atomics.load(this.control, tail)) & POSITION_MASK));
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

  /** The next `bytes` of the ring hold data: the workers may take them. */
  private publish(bytes: number): void {
    Atomics.store(this.control, HEAD, (this.control[HEAD]! + bytes) & POSITION_MASK);
    if (SLEEPING.some((slot) => Atomics.load(this.control, slot) === 1)) this.wakeWorkers();
  }

  private wakeWorkers(): void {
    Atomics.add(this.control, WAKE, 1);
    Atomics.notify(this.control, WAKE);
  }

  /** `rest` (a copy) goes into the ring after everything queued before it, as the workers free room. */
  private queue(rest: Uint8Array): Promise<void> {
    const done = (this.backlog ?? Promise.resolve()).then(async () => {
      for (let at = 0; ; ) {
        if (this.failure) throw this.failure;
        at += this.fillRing(rest.subarray(at));
        if (at === rest.byteLength) return;
        // Wait, without blocking the event loop, for the slower worker to move its tail.
        const head = this.control[HEAD]!;
        const slower = TAIL.reduce((a, b) => (((head - this.control[a]!) & POSITION_MASK) >= ((head - this.control[b]!) & POSITION_MASK) ? a : b));
        const tail = Atomics.load(this.control, slower);
        if (((head - tail) & POSITION_MASK) === RING_BYTES && !this.failure) await Atomics.waitAsync(this.control, slower, tail).value;
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
