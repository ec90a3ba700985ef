import { Worker } from "node:worker_threads";

/** Bytes that may wait between the socket and the disk. A power of two (positions wrap at 2^31). */
export const RING_BYTES = 16 << 20;
// 256 KiB: on the build machine's ext4, 1 MiB writes ran several times slower than 256 KiB ones.
const PIECE_BYTES = 256 << 10;

/** Slots of the shared control block (an Int32Array). Positions count bytes mod 2^31. */
export const HEAD = 0; // bytes put into the ring (the receiver moves it)
export const CLOSING = 1; // 1: no more bytes will come
export const WAKE = 2; // moved (and notified) by the receiver to wake a sleeping writer
export const TAIL = 3; // bytes written to the file
export const SLEEPING = 4; // 1: the writer waits and must be woken
const CONTROL_SLOTS = 8;
export const POSITION_MASK = 0x7fffffff;

/** How long a thread nobody uses is kept before it ends. */
const IDLE_MS = 60_000;

// Inline source (a CommonJS script), so it runs the same under tsx, the bundled Electron main
// process and the CLI, with no separate file to locate. Between jobs it waits for a message;
// during one it appends the ring's bytes from TAIL as HEAD moves, until CLOSING.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const ctrl = new Int32Array(workerData.control);
const bytes = new Uint8Array(workerData.ring);
// A first write to a fresh page costs ~13 µs on the build machine's VM (55 ms for the ring):
// paid here, while nothing waits on it (the receiver uses the ring only once this thread is up).
for (let at = 0; at < bytes.length; at += 4096) bytes[at] = 0;
parentPort.on("message", ({ path }) => {
  try {
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
});
parentPort.postMessage({ type: "ready" });
`;

export type JobEnd = { type: "done" } | { type: "error"; code: string | null; message: string };
type FromWorker = { type: "ready" } | JobEnd;

/**
 * A thread that writes one download at a time from its ring of shared memory, with the control
 * block the receiver and it meet through. Its owner resets the control block, puts bytes in the
 * ring and calls `start(path)`; the thread appends them to the file until CLOSING.
 */
export class WriterThread {
  readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  readonly ring = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  private readonly worker: Worker;
  private isReady = false;
  private readyListener: (() => void) | null = null;
  private jobListener: ((end: JobEnd | Error) => void) | null = null;
  private ended = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { control: this.control.buffer, ring: this.ring.buffer } });
    this.worker.on("message", (message: FromWorker) => {
      if (message.type === "ready") {
        this.isReady = true;
        this.readyListener?.();
        this.readyListener = null;
      } else {
        this.worker.unref();
        this.jobListener?.(message);
      }
    });
    this.worker.on("error", (error) => this.jobListener?.(error));
    this.worker.on("exit", () => (this.ended = true));
    // A spare thread must not keep the process alive (after the listeners: adding one refs it).
    this.worker.unref();
  }

  /** Calls `listener` once the thread is up (at once when it is). */
  whenReady(listener: () => void): void {
    if (this.isReady) listener();
    else this.readyListener = listener;
  }

  /** Reports the end of the current job (its "done", or why it failed). */
  onJobEnd(listener: (end: JobEnd | Error) => void): void {
    this.jobListener = listener;
  }

  /** Forgets the listeners of the download that used it. */
  detach(): void {
    this.readyListener = null;
    this.jobListener = null;
  }

  /** Starts writing the ring's bytes to `path` (opened for appending). */
  start(path: string): void {
    this.worker.ref(); // the process waits for the file to be written
    this.worker.postMessage({ path });
  }

  get usable(): boolean {
    return !this.ended;
  }

  async end(): Promise<void> {
    this.detach();
    await this.worker.terminate();
  }
}

/**
 * Writer threads for downloads. Starting one takes 0.1–0.2 s on the 2-core build machine and
 * touching its 16 MiB ring another ~0.05 s, a tenth of a gigabyte's download on loopback; so
 * one is started while the user looks at a repo's files (`warm`), and a thread that finished a
 * download waits for the next, for a minute.
 */
export class WriterThreads {
  private spare: WriterThread | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  /** Starts a spare thread unless one waits already. */
  warm(): void {
    this.keep(this.spare?.usable ? this.spare : new WriterThread());
  }

  /** A thread for a download: the spare one (perhaps still starting), or a new one. */
  take(): WriterThread {
    const spare = this.spare;
    this.spare = null;
    this.clearTimer();
    return spare?.usable ? spare : new WriterThread();
  }

  /** A thread whose job ended cleanly: kept as the spare, or ended if one waits already. */
  give(thread: WriterThread): void {
    if (this.spare || !thread.usable) void thread.end();
    else this.keep(thread);
  }

  async dispose(): Promise<void> {
    this.clearTimer();
    const spare = this.spare;
    this.spare = null;
    await spare?.end();
  }

  private keep(thread: WriterThread): void {
    this.spare = thread;
    this.clearTimer();
    this.idleTimer = setTimeout(() => void this.dispose(), IDLE_MS);
    this.idleTimer.unref();
  }

  private clearTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
