import fs from "node:fs";
import { HearthError } from "../../shared/errors";
import type { HubFile } from "../../shared/modelHub";
import { hubStatusError } from "../hub/HubClient";
import { describeFetchError, type Outbound } from "../network/Outbound";
import { HashingFileWriter } from "./HashingFileWriter";
import type { WriterThreads } from "./WriterThreads";

export interface TransferOptions {
  url: string;
  headers: Record<string, string>;
  file: HubFile;
  /** Where the bytes go until the file is whole and verified. */
  partPath: string;
  outbound: Outbound;
  /** Where the thread that writes the file comes from. */
  writers: WriterThreads;
  signal: AbortSignal;
  /** No byte for this long: the transfer is called stalled and abandoned (the caller retries). */
  stallMs: number;
  /** Bytes of this file on disk so far, called as they arrive. */
  onProgress(bytesOnDisk: number): void;
}

/**
 * Brings one file to `partPath`, resuming from the bytes already there with a Range request,
 * hashing with SHA-256 as the bytes stream by (see HashingFileWriter). Resolves when the file is
 * whole and its hash matches the hub's; throws NETWORK (retryable) when the connection fails,
 * stalls or ends early, VERIFY_FAILED (the part is deleted) when the bytes are wrong.
 */
export async function transferFile(options: TransferOptions): Promise<void> {
  const { file, partPath } = options;
  let onDisk = await sizeOf(partPath);
  if (onDisk > file.size) {
    await fs.promises.truncate(partPath, 0);
    onDisk = 0;
  }
  options.onProgress(onDisk);
  // A file already whole (a crash between the last byte and the rename) is only hashed.
  const digest =
    onDisk < file.size ? await fetchRest(options, onDisk) : { onDisk, hex: await new HashingFileWriter(partPath, onDisk, options.writers).close() };
  if (digest.onDisk !== file.size) {
    throw new HearthError("NETWORK", `The connection closed after ${digest.onDisk} of ${file.size} bytes of ${file.path}.`);
  }
  if (file.sha256 && digest.hex !== file.sha256) {
    await fs.promises.rm(partPath, { force: true });
    throw new HearthError(
      "VERIFY_FAILED",
      `${file.path} failed its SHA-256 check (expected ${file.sha256.slice(0, 12)}…, got ${digest.hex.slice(0, 12)}…); the bad file was deleted.`,
    );
  }
}

async function fetchRest(options: TransferOptions, from: number): Promise<{ onDisk: number; hex: string }> {
  const { file, partPath } = options;
  // One controller for this attempt: the caller's signal (pause, cancel) or the stall check ends it.
  const attempt = new AbortController();
  const stopOnCaller = () => attempt.abort(options.signal.reason);
  options.signal.addEventListener("abort", stopOnCaller, { once: true });
  let stalled = false;
  let lastByteAt = Date.now();
  // One timer looking at the time of the last byte, rather than a timer re-armed for every chunk.
  const stallCheck = setInterval(
    () => {
      if (Date.now() - lastByteAt < options.stallMs) return;
      stalled = true;
      attempt.abort(new HearthError("NETWORK", `The transfer stalled: no data for ${Math.round(options.stallMs / 1000)} s.`));
    },
    Math.min(1000, Math.max(50, options.stallMs / 4)),
  );

  let received = 0;
  let finishLog: ((result: { bytes: number; error?: string | null }) => void) | null = null;
  let writer: HashingFileWriter | null = null;
  try {
    const headers = { ...options.headers, ...(from > 0 ? { range: `bytes=${from}-` } : {}) };
    // Made while the request goes out: a writer thread that is not yet up (0.1–0.2 s to start)
    // gets that much sooner to taking over the file from the receiving thread.
    writer = new HashingFileWriter(partPath, from, options.writers);
    const response = await options.outbound.openStream(options.url, { purpose: "download", headers, signal: attempt.signal });
    finishLog = response.finish;
    if (response.status < 200 || response.status >= 300) {
      response.body.discard();
      throw hubStatusError(response.status, file.path, "authorization" in options.headers);
    }
    // A server that ignores the Range sends the whole file (200): start over rather than append a second copy.
    const start = from > 0 && response.status === 206 ? from : 0;
    const range = response.header("content-range");
    if (start > 0 && Number(/^bytes (\d+)-/.exec(range ?? "")?.[1]) !== from) {
      response.body.discard();
      throw new HearthError("NETWORK", `The hub answered the resume of ${file.path} with the wrong range (${range ?? "none"}).`);
    }
    if (start !== from) {
      await writer.destroy();
      writer = new HashingFileWriter(partPath, start, options.writers);
    }
    const sink = writer;
    const body = response.body;
    let onDisk = start;
    await body.readBody(
      (chunk) => {
        lastByteAt = Date.now();
        received += chunk.byteLength;
        onDisk += chunk.byteLength;
        if (onDisk > file.size) throw new HearthError("NETWORK", `The hub sent more than the ${file.size} bytes of ${file.path}.`);
        // Mostly the bytes were read straight into the writer's ring; otherwise it copies them
        // (the chunk is the socket's reused buffer). A full ring makes the socket wait.
        const full = sink.write(chunk);
        if (full) {
          body.pause();
          full.then(
            () => body.resume(),
            (error: unknown) => body.discard(error),
          );
        }
        options.onProgress(onDisk);
      },
      () => sink.receiveArea(),
    );
    const hex = await writer.close();
    writer = null;
    finishLog({ bytes: received });
    return { onDisk, hex };
  } catch (error) {
    const reason = attempt.signal.aborted ? attempt.signal.reason : error;
    finishLog?.({ bytes: received, error: reason instanceof Error ? reason.message : describeFetchError(reason) });
    // Keep what arrived (a clean prefix) for the next attempt or a resume; not an empty new file.
    if (writer) await writer.close().catch(() => writer?.destroy());
    if (from === 0 && received === 0) await fs.promises.rm(partPath, { force: true });
    if (options.signal.aborted) throw options.signal.reason;
    if (stalled) throw attempt.signal.reason;
    if (error instanceof HearthError) throw error;
    throw new HearthError("NETWORK", `The download of ${file.path} broke off: ${describeFetchError(error)}`, { cause: error });
  } finally {
    clearInterval(stallCheck);
    options.signal.removeEventListener("abort", stopOnCaller);
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return 0;
  }
}
