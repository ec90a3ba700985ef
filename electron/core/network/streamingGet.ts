import net from "node:net";
import tls from "node:tls";
import { bodyDecoder, parseResponseHead, type BodyDecoder, type ResponseHead } from "./responseParsing";

/**
 * One GET over its own connection, for large bodies (model files). The socket reads into one
 * reused buffer (Node's `onread`) and the body is handed on as views into it, so no memory is
 * allocated per read. Measured on the 2-core build machine's loopback: node:http spent 1.0–2.0
 * CPU-seconds per GB receiving (a fresh buffer per 64 KiB read, then the stream machinery), undici
 * 1.2, this 0.2, which is what lets a download keep up with curl while it also hashes and writes.
 */
export interface StreamingResponse {
  status: number;
  header(name: string): string | null;
  /**
   * Delivers the body to `onChunk` (a view valid only during the call: copy what must outlive
   * it). Resolves with the body's byte count at its end; rejects when the connection fails or
   * closes early, or when `onChunk` throws. Call at most once. `receiveArea`, when given, says
   * where the socket may read next (the consumer's own memory, so bytes need no copy); when it
   * gives null, or while bytes that came with the head are delivered, reads go to a buffer of
   * this connection's own.
   */
  readBody(onChunk: (bytes: Uint8Array) => void, receiveArea?: () => Uint8Array | null): Promise<number>;
  /** Flow control while the consumer catches up. */
  pause(): void;
  resume(): void;
  /** Closes the connection; a body being read rejects with `reason`. */
  discard(reason?: unknown): void;
}

const READ_BUFFER_BYTES = 256 << 10;

export interface StreamingGetOptions {
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Extra trusted certificates (tests serve HTTPS with their own). */
  ca?: string | Buffer;
}

export function streamingGet(url: URL, { headers, signal, ca }: StreamingGetOptions): Promise<StreamingResponse> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new Error(`Unsupported protocol ${url.protocol}`));
  if (signal?.aborted) return Promise.reject(signal.reason);
  // A line break in a header (a pasted token, say) would end it early and start another.
  const badHeader = Object.entries(headers).find(([name, value]) => /[\r\n]/.test(name + value));
  if (badHeader) return Promise.reject(new Error(`The ${badHeader[0]} header contains a line break.`));
  return new Promise((resolveHead, rejectHead) => {
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    let head: ResponseHead | null = null;
    let headBytes: Buffer = Buffer.alloc(0);
    let decoder: BodyDecoder | null = null;
    // Body bytes that came with the head, before the consumer called readBody.
    let early: Buffer | null = null;
    let consumer: ((bytes: Uint8Array) => void) | null = null;
    let consumerArea: (() => Uint8Array | null) | null = null;
    let received = 0;
    let settle: { resolve(bytes: number): void; reject(error: unknown): void } | null = null;
    let finished = false;
    // What happened before the consumer called readBody, kept for it.
    let pendingError: { error: unknown } | null = null;
    let endedBeforeRead = false;

    const secure = url.protocol === "https:";
    const port = Number(url.port) || (secure ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // Node asks for the buffer of each next read right after the previous read's callback.
    const onread = { buffer: () => consumerArea?.() ?? readBuffer, callback: (length: number, buffer: Uint8Array) => onRead(buffer.subarray(0, length)) };
    // tls.connect takes `onread` too (Node ≥ 14.17, nodejs/node#35753); @types/node does not list it.
    const socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, onread, ...(ca ? { ca } : {}) } as tls.ConnectionOptions)
      : net.connect({ host, port, onread });

    const fail = (error: unknown) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      signal?.removeEventListener("abort", onAbort);
      if (!head) rejectHead(error);
      else if (settle) settle.reject(error);
      else pendingError = { error };
    };
    const complete = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      signal?.removeEventListener("abort", onAbort);
      settle?.resolve(received);
    };
    const onAbort = () => fail(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });

    socket.once(secure ? "secureConnect" : "connect", () => {
      const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, "Connection: close", "Accept-Encoding: identity"];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    socket.on("error", fail);
    socket.on("end", () => {
      if (!head) return fail(new Error("the server closed the connection without an answer"));
      if (settle) endOfStream();
      else endedBeforeRead = true; // judged when the consumer comes for the body
    });
    socket.on("close", () => {
      if (!finished && head && settle) endOfStream();
    });

    function endOfStream(): void {
      if (decoder?.completeAtClose) complete();
      else fail(Object.assign(new Error(`the connection closed after ${received} bytes of the body`), { code: "ECONNRESET" }));
    }

    function onRead(bytes: Uint8Array): boolean {
      if (finished) return false;
      try {
        if (!head) return readHead(bytes);
        if (!consumer) {
          early = early ? Buffer.concat([early, bytes]) : Buffer.from(bytes);
          return false;
        }
        deliver(bytes);
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    }

    function readHead(bytes: Uint8Array): boolean {
      headBytes = Buffer.concat([headBytes, bytes]);
      const parsed = parseResponseHead(headBytes);
      if (!parsed) return true;
      // 1xx answers (100 Continue) precede the real one.
      if (parsed.status < 200) {
        headBytes = headBytes.subarray(parsed.length);
        return readHead(Buffer.alloc(0));
      }
      head = parsed;
      decoder = bodyDecoder(parsed.status, parsed.headers);
      if (headBytes.byteLength > parsed.length) early = Buffer.from(headBytes.subarray(parsed.length));
      headBytes = Buffer.alloc(0);
      // Wait for the consumer: nothing is read until readBody.
      socket.pause();
      resolveHead(response);
      return false;
    }

    function deliver(bytes: Uint8Array): void {
      const state = decoder!.push(bytes, (payload) => {
        received += payload.byteLength;
        consumer!(payload);
      });
      if (decoder!.overflow > 0) throw new Error(`the server sent more than the body's announced length`);
      if (state === "complete") complete();
    }

    const response: StreamingResponse = {
      get status() {
        return head!.status;
      },
      header: (name) => head!.headers[name.toLowerCase()] ?? null,
      readBody(onChunk, receiveArea) {
        if (consumer) return Promise.reject(new Error("readBody was called twice"));
        consumer = onChunk;
        return new Promise<number>((resolve, reject) => {
          settle = { resolve, reject };
          if (pendingError) return reject(pendingError.error);
          try {
            if (early) {
              const bytes = early;
              early = null;
              deliver(bytes);
            }
          } catch (error) {
            return fail(error);
          }
          if (finished) return;
          if (endedBeforeRead) return endOfStream();
          // From the read after next: the one already asked for goes to readBuffer.
          consumerArea = receiveArea ?? null;
          socket.resume();
        });
      },
      pause: () => socket.pause(),
      resume: () => {
        if (!finished && consumer) socket.resume();
      },
      discard: (reason) => {
        if (settle) fail(reason ?? new Error("the body was discarded"));
        else if (!finished) {
          finished = true;
          signal?.removeEventListener("abort", onAbort);
          socket.destroy();
        }
      },
    };
  });
}
