import { createHash } from "node:crypto";
import fs from "node:fs";
import { HearthError } from "../../shared/errors";
import { CLOSING, HEAD, POSITION_MASK, RING_BYTES, SLEEPING, TAIL, WAKE, type JobEnd, type WriterThread, type WriterThreads } from "./WriterThreads";

/** A receive area smaller than this is not offered (many tiny reads cost more than a copy). */
const MIN_AREA_BYTES = 64 << 10;
const MAX_AREA_BYTES = 1 << 20;

/**
 * Writes a download to its `.part` file and hashes it with SHA-256 as the bytes arrive (never a
 * second pass). Bytes go into a 16 MiB ring of shared memory; the socket can read straight into
 * it (`receiveArea`), so most bytes are never copied by JavaScript. The receiving thread hashes
 * them there, while they are still in its cache (a hashing thread of its own cost 10% more CPU),
 * and a thread of its own writes them to the file, meeting the receiver through atomics with no
 * message per chunk (messages cost about as much CPU as the receiving itself). The thread and its
 * ring come from `WriterThreads`, usually started already; until a new one is up, the receiver
 * hashes and writes the first bytes itself, straight from the socket's buffer. Memory stays the
 * same whatever the file's size, and a full ring makes the receiver wait (back-pressure). A
 * resumed file's earlier bytes are hashed from disk first.
 */
export class HashingFileWriter {
  private readonly thread: WriterThread;
  private readonly control: Int32Array;
  private readonly ring: Uint8Array;
  private readonly hash = createHash("sha256");
  /** Ring position hashed up to (this thread's own; HEAD's units). */
  private hashed = 0;
  /** Resolves once a resumed file's earlier bytes are hashed; ring bytes wait for it. */
  private readonly prefix: Promise<void>;
  private prefixHashed = false;
  /** The file, written from this thread until the writer thread is up; null after the hand-over. */
  private ownFd: number | null = null;
  private failure: Error | null = null;
  /** Bytes that did not fit in the ring, on their way in, in order. */
  private backlog: Promise<void> | null = null;
  /** Resolves when the thread has written everything and closed the file. */
  private readonly written: Promise<void>;
  /** Set once the thread is given back or ended. */
  private released = false;

  /**
   * Opens `path` for writing after its first `prefixBytes` (0: a new file), hashing those first,
   * with a thread from `threads`.
   */
  constructor(
    private readonly path: string,
    prefixBytes: number,
    private readonly threads: WriterThreads,
  ) {
    this.thread = threads.take();
    this.control = this.thread.control;
    this.ring = this.thread.ring;
    this.control.fill(0);
    try {
      this.ownFd = fs.openSync(path, prefixBytes > 0 ? "a" : "w");
    } catch (error) {
      this.fail(this.writeError(error));
    }
    this.prefix = this.hashPrefix(prefixBytes);
    this.written = new Promise<void>((resolve, reject) => {
      this.thread.onJobEnd((end: JobEnd | Error) => {
        if (end instanceof Error) reject(this.fail(end));
        else if (end.type === "done") resolve();
        else reject(this.fail(this.writeError(end)));
      });
    });
    // Failures are reported through write() and close().
    this.written.catch(() => undefined);
    this.thread.whenReady(() => this.handOver());
  }

  /**
   * Takes the bytes (the caller may reuse `chunk` as soon as this returns): until the writer
   * thread is up, hashed and written here at once; then copied into the ring. Returns nothing
   * when they are taken at once (the usual case: no promise per chunk), or a promise to await
   * when the ring is full or a resumed file's earlier bytes are still being hashed; the bytes
   * not taken are copied aside and follow in order, after any others waiting.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ownFd !== null && !this.backlog) {
      if (!this.prefixHashed) return this.queue(new Uint8Array(chunk));
      this.writeHere(chunk);
      return undefined;
    }
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
   * `write` copies. Valid until the next write. None before the writer thread is up: it
   * touches the ring's fresh pages (a first write to a page is slow) while it starts.
   */
  receiveArea(): Uint8Array | null {
    if (this.ownFd !== null || this.backlog || this.failure) return null;
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
        // The thread never took over: everything is written already.
        fs.closeSync(this.ownFd);
        this.ownFd = null;
      } else {
        Atomics.store(this.control, CLOSING, 1);
        this.wakeWriter();
        await this.written;
      }
      await this.release(true);
      return this.hash.digest("hex");
    } finally {
      await this.destroy();
    }
  }

  /** Stops at once; bytes not yet written are dropped (the file keeps a clean prefix). */
  async destroy(): Promise<void> {
    if (this.ownFd !== null) fs.closeSync(this.ownFd);
    this.ownFd = null;
    await this.release(false);
  }

  /** A thread that finished cleanly goes back for the next download; any other is ended. */
  private async release(clean: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.thread.detach();
    if (clean) this.threads.give(this.thread);
    else await this.thread.end();
  }

  /** The thread is up: it writes from here on (this thread is between writes: it runs this). */
  private handOver(): void {
    if (this.ownFd === null || this.released) return; // failed to open, or closed
    fs.closeSync(this.ownFd);
    this.ownFd = null;
    this.thread.start(this.path);
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

  /** The next `bytes` of the ring hold data: hash them and let the writer thread write them. */
  private publish(bytes: number): void {
    Atomics.store(this.control, HEAD, (this.control[HEAD]! + bytes) & POSITION_MASK);
    this.hashRing();
    if (Atomics.load(this.control, SLEEPING) === 1) this.wakeWriter();
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

  /** Before the hand-over (the earlier part hashed): this thread hashes and writes the bytes itself. */
  private writeHere(chunk: Uint8Array): void {
    this.hash.update(chunk);
    try {
      for (let written = 0; written < chunk.byteLength; ) written += fs.writeSync(this.ownFd!, chunk, written);
    } catch (error) {
      this.fail(this.writeError(error));
    }
  }

  private wakeWriter(): void {
    Atomics.add(this.control, WAKE, 1);
    Atomics.notify(this.control, WAKE);
  }

  /**
   * `rest` (a copy) goes in after everything queued before it: written here once the earlier
   * part is hashed if the writer thread is not up yet, else into the ring as room is freed.
   */
  private queue(rest: Uint8Array): Promise<void> {
    const done = (this.backlog ?? Promise.resolve()).then(async () => {
      await this.prefix;
      for (let at = 0; ; ) {
        if (this.failure) throw this.failure;
        if (this.ownFd !== null) {
          this.writeHere(rest.subarray(at));
          if (this.failure) throw this.failure;
          return;
        }
        at += this.fillRing(rest.subarray(at));
        if (at === rest.byteLength) return;
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
