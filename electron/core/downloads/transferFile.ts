import { once } from "node:events";
import fs, { type FileHandle } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { HearthError } from "../../shared/errors";
import type { HubFile } from "../../shared/modelHub";
import { hubStatusError } from "../hub/HubClient";
import { describeFetchError, discard, type Outbound } from "../network/Outbound";
import { PrefixHasher } from "./PrefixHasher";
import { SegmentWriter } from "./SegmentWriter";
import { contiguousEnd, loadSegments, planSegments, saveSegments, type Segment, segmentsFile, splitLargest, writtenBytes } from "./segments";

export interface TransferOptions {
  url: string;
  headers: Record<string, string>;
  file: HubFile;
  /** Where the bytes go until the file is whole and verified. */
  partPath: string;
  outbound: Outbound;
  signal: AbortSignal;
  /** No byte for this long on a connection: the transfer is called stalled and abandoned (the caller retries). */
  stallMs: number;
  /** Ranged connections for a large file (a CDN caps each one's speed). */
  connections: number;
  /** No connection gets a share smaller than this (small files use one). */
  minSegmentBytes: number;
  /** Bytes on disk so far (`contiguous`: without a gap from the start), called as they arrive. */
  onProgress(progress: { written: number; contiguous: number }): void;
}

/** How often a segmented download records its progress beside the `.part`. */
const RECORD_EVERY_MS = 1000;

/** The server answered a ranged request with the whole file. */
class RangeIgnored extends Error {}

/**
 * Brings one file to `partPath`, resuming from the bytes already there: a small file over one
 * connection (the `.part`'s size says how far it got), a large one over several ranged ones
 * (`.part.segments` says which bytes are written). SHA-256 follows the gap-free prefix (see
 * PrefixHasher). Resolves when the file is whole and its hash matches the hub's; throws NETWORK
 * (retryable) when a connection fails, stalls or ends early, VERIFY_FAILED (the part is
 * deleted) when the bytes are wrong.
 */
export async function transferFile(options: TransferOptions): Promise<void> {
  const { file, partPath } = options;
  let { segments, recorded } = await startingSegments(options);
  let hasher = new PrefixHasher(partPath, () => contiguousEnd(segments));
  options.onProgress({ written: writtenBytes(segments), contiguous: contiguousEnd(segments) });
  try {
    await fetchSegments(options, segments, recorded, hasher);
  } catch (error) {
    if (!(error instanceof RangeIgnored)) throw error;
    // A server that ignores Range sends whole files: start over on one connection.
    await Promise.all([fs.rm(segmentsFile(partPath), { force: true }), fs.rm(partPath, { force: true })]);
    segments = [{ start: 0, end: file.size, at: 0 }];
    recorded = false;
    hasher = new PrefixHasher(partPath, () => contiguousEnd(segments));
    await fetchSegments(options, segments, recorded, hasher);
  }
  const written = contiguousEnd(segments);
  if (written !== file.size) throw new HearthError("NETWORK", `The connection closed after ${written} of ${file.size} bytes of ${file.path}.`);
  const hex = await hasher.digest(file.size);
  await fs.rm(segmentsFile(partPath), { force: true });
  if (file.sha256 && hex !== file.sha256) {
    await fs.rm(partPath, { force: true });
    throw new HearthError(
      "VERIFY_FAILED",
      `${file.path} failed its SHA-256 check (expected ${file.sha256.slice(0, 12)}…, got ${hex.slice(0, 12)}…); the bad file was deleted.`,
    );
  }
}

/**
 * What is on disk: the recorded segments of a segmented `.part`; else a plain `.part`'s bytes as
 * a finished prefix and the rest shared out. A `.part` whose record is unreadable starts over
 * (its holes cannot be told from its bytes). `recorded`: the progress needs a record, since
 * bytes will not arrive in order (one connection from the prefix's end needs none: the size is one).
 */
async function startingSegments({ file, partPath, connections, minSegmentBytes }: TransferOptions): Promise<{ segments: Segment[]; recorded: boolean }> {
  const loaded = await loadSegments(partPath, file.size);
  if (loaded) return { segments: loaded, recorded: true };
  let prefix = await sizeOf(partPath);
  const unreadableRecord = await fs.stat(segmentsFile(partPath)).then(
    () => true,
    () => false,
  );
  if (prefix > file.size || unreadableRecord) {
    if (prefix > 0) await fs.truncate(partPath, 0);
    await fs.rm(segmentsFile(partPath), { force: true });
    prefix = 0;
  }
  const segments = planSegments(file.size, prefix, connections, minSegmentBytes);
  return { segments, recorded: segments.filter((s) => s.at < s.end).length > 1 };
}

/** Runs a connection per unfinished segment; a finished one takes half of the largest left. */
async function fetchSegments(options: TransferOptions, segments: Segment[], recorded: boolean, hasher: PrefixHasher): Promise<void> {
  const { partPath, file } = options;
  const pending = segments.filter((s) => s.at < s.end);
  const attempt = new AbortController();
  const stopOnCaller = () => attempt.abort(options.signal.reason);
  options.signal.addEventListener("abort", stopOnCaller, { once: true });
  if (options.signal.aborted) stopOnCaller();
  const handle = await fs.open(partPath, fs.constants.O_WRONLY | fs.constants.O_CREAT);
  const connections = new Set<{ lastByteAt: number; controller: AbortController }>();
  const stallCheck = setInterval(
    () => {
      for (const connection of connections) {
        if (Date.now() - connection.lastByteAt < options.stallMs) continue;
        connection.controller.abort(new HearthError("NETWORK", `The transfer stalled: no data for ${Math.round(options.stallMs / 1000)} s.`));
      }
    },
    Math.min(1000, Math.max(50, options.stallMs / 4)),
  );
  let lastRecord = Date.now();
  const record = async () => {
    if (recorded) await saveSegments(partPath, file.size, segments);
  };
  const written = () => {
    void hasher.follow();
    options.onProgress({ written: writtenBytes(segments), contiguous: contiguousEnd(segments) });
    if (recorded && Date.now() - lastRecord >= RECORD_EVERY_MS) {
      lastRecord = Date.now();
      void record().catch(() => undefined);
    }
  };
  let failure: unknown = null;
  const worker = async (first: Segment) => {
    try {
      for (let segment: Segment | null = first; segment && !attempt.signal.aborted; segment = splitLargest(segments, options.minSegmentBytes)) {
        if (segment.at >= segment.end) continue;
        const controller = new AbortController();
        const connection = { lastByteAt: Date.now(), controller };
        const stop = () => controller.abort(attempt.signal.reason);
        attempt.signal.addEventListener("abort", stop, { once: true });
        connections.add(connection);
        try {
          const received = () => {
            connection.lastByteAt = Date.now();
          };
          await fetchSegment(options, segment, controller.signal, { file: handle, hasher, onReceived: received, onWritten: written });
        } finally {
          connections.delete(connection);
          attempt.signal.removeEventListener("abort", stop);
        }
      }
    } catch (error) {
      failure ??= error;
      attempt.abort(error);
    }
  };
  try {
    if (recorded) await record();
    await Promise.all(pending.map(worker));
    if (failure) throw failure;
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw error;
  } finally {
    clearInterval(stallCheck);
    options.signal.removeEventListener("abort", stopOnCaller);
    await handle.close();
    // What arrived stays for the next attempt or a resume (an empty new file does not).
    if (writtenBytes(segments) > 0 || file.size === 0) await record().catch(() => undefined);
    else await Promise.all([fs.rm(partPath, { force: true }), fs.rm(segmentsFile(partPath), { force: true })]);
  }
}

interface SegmentSink {
  file: FileHandle;
  hasher: PrefixHasher;
  /** A byte arrived (the stall check). */
  onReceived(): void;
  /** Bytes reached the file. */
  onWritten(): void;
}

/**
 * One ranged GET for a segment, writing its bytes at their place until the segment's end (which
 * may move down while it runs: another connection took the rest).
 */
async function fetchSegment(options: TransferOptions, segment: Segment, signal: AbortSignal, sink: SegmentSink): Promise<void> {
  const { file } = options;
  const whole = segment.at === 0 && segment.end === file.size;
  const range = whole ? null : `bytes=${segment.at}-${segment.end === file.size ? "" : segment.end - 1}`;
  const headers = { ...options.headers, ...(range ? { range } : {}) };
  const response = await options.outbound.openStream(options.url, { purpose: "download", headers, signal });
  const writer = new SegmentWriter(sink.file, segment, sink.onWritten);
  const failed = new Promise<never>((_, reject) => writer.once("error", reject));
  failed.catch(() => undefined);
  let received = 0;
  try {
    if (response.status < 200 || response.status >= 300) throw hubStatusError(response.status, file.path, "authorization" in options.headers);
    if (range && response.status !== 206) throw new RangeIgnored();
    const contentRange = response.header("content-range");
    if (range && Number(/^bytes (\d+)-/.exec(contentRange ?? "")?.[1]) !== segment.at) {
      throw new HearthError(
        "NETWORK",
        `The hub answered the request for ${file.path}'s bytes from ${segment.at} with the wrong range (${contentRange ?? "none"}).`,
      );
    }
    // Where the next byte received goes: ahead of `segment.at` by what waits to be written.
    let position = segment.at;
    for await (const chunk of response.body) {
      const bytes = chunk as Buffer;
      received += bytes.byteLength;
      sink.onReceived();
      if (position + bytes.byteLength > file.size) throw new HearthError("NETWORK", `The hub sent more than the ${file.size} bytes of ${file.path}.`);
      sink.hasher.offer(position, bytes);
      position += bytes.byteLength;
      if (!writer.write(bytes)) await Promise.race([once(writer, "drain"), failed]);
      if (position >= segment.end) break;
    }
    writer.end();
    await Promise.race([finished(writer), failed]);
    if (segment.at < segment.end) throw new HearthError("NETWORK", `The connection closed after ${segment.at} of ${file.size} bytes of ${file.path}.`);
    response.finish({ bytes: received });
  } catch (error) {
    const reason = signal.aborted ? signal.reason : error;
    response.finish({ bytes: received, error: reason instanceof Error ? reason.message : describeFetchError(reason) });
    // Bytes already handed to the writer are still written (they are right); then it stops.
    if (!writer.writableEnded) writer.end();
    await finished(writer).catch(() => undefined);
    if (signal.aborted) throw signal.reason;
    if (error instanceof HearthError || error instanceof RangeIgnored) throw error;
    if ((error as { code?: string }).code === "ENOSPC") {
      throw new HearthError("DISK_FULL", `The disk filled up while writing ${file.path}; the bytes already written are kept for a resume.`);
    }
    throw new HearthError("NETWORK", `The download of ${file.path} broke off: ${describeFetchError(error)}`, { cause: error });
  } finally {
    discard(response.body);
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}
