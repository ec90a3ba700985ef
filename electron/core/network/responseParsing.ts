/**
 * HTTP/1.1 response parsing for `streamingGet`: the head (status line and headers) and the body's
 * framing (Content-Length, chunked, or until the connection closes). Pure functions over bytes,
 * so every split of the input across reads can be tested without a socket.
 */

export interface ResponseHead {
  status: number;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Bytes the head took, blank line included: the body starts here. */
  length: number;
}

/** Heads larger than this are refused: a real one is a few hundred bytes. */
export const MAX_HEAD_BYTES = 64 << 10;

const CRLFCRLF = Buffer.from("\r\n\r\n");

/** The head at the start of `bytes`, or null while its blank line has not arrived yet. */
export function parseResponseHead(bytes: Uint8Array): ResponseHead | null {
  const end = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(CRLFCRLF);
  if (end === -1) {
    if (bytes.byteLength > MAX_HEAD_BYTES) throw new Error(`the response head is over ${MAX_HEAD_BYTES} bytes`);
    return null;
  }
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString("latin1").split("\r\n");
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? "");
  if (!statusLine) throw new Error(`not an HTTP/1.1 response (${JSON.stringify((lines[0] ?? "").slice(0, 40))})`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`a malformed header line (${JSON.stringify(line.slice(0, 40))})`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(statusLine[1]), headers, length: end + CRLFCRLF.length };
}

/**
 * Takes body bytes as they arrive and hands on the payload: `push` calls `emit` with views into
 * the input (valid only during the call) and says when the body is complete.
 */
export interface BodyDecoder {
  push(bytes: Uint8Array, emit: (payload: Uint8Array) => void): "more" | "complete";
  /** The connection ended: is that a proper end of this body? */
  readonly completeAtClose: boolean;
  /** Body bytes left over after the end (a server that sent more than it announced). */
  readonly overflow: number;
}

/** The framing RFC 9112 §6.3 gives a response to GET. */
export function bodyDecoder(status: number, headers: Record<string, string>): BodyDecoder {
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return new LengthDecoder(0);
  // The request asks for identity: compressed bytes would only fail the hash later, less clearly.
  const coding = headers["content-encoding"];
  if (coding && coding.trim().toLowerCase() !== "identity") throw new Error(`the server compressed the body (${coding}), which was not asked for`);
  const encoding = headers["transfer-encoding"];
  if (encoding) {
    if (encoding.trim().toLowerCase() !== "chunked") throw new Error(`an unsupported Transfer-Encoding (${encoding})`);
    return new ChunkedDecoder();
  }
  const length = headers["content-length"];
  if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw new Error(`an invalid Content-Length (${JSON.stringify(length)})`);
    return new LengthDecoder(Number(length));
  }
  return new UntilCloseDecoder();
}

class LengthDecoder implements BodyDecoder {
  overflow = 0;
  constructor(private remaining: number) {}
  get completeAtClose(): boolean {
    return this.remaining === 0;
  }
  push(bytes: Uint8Array, emit: (payload: Uint8Array) => void): "more" | "complete" {
    const take = Math.min(this.remaining, bytes.byteLength);
    if (take > 0) emit(take === bytes.byteLength ? bytes : bytes.subarray(0, take));
    this.remaining -= take;
    this.overflow += bytes.byteLength - take;
    return this.remaining === 0 ? "complete" : "more";
  }
}

class UntilCloseDecoder implements BodyDecoder {
  readonly completeAtClose = true;
  readonly overflow = 0;
  push(bytes: Uint8Array, emit: (payload: Uint8Array) => void): "more" {
    if (bytes.byteLength > 0) emit(bytes);
    return "more";
  }
}

const MAX_CHUNK_LINE = 4096;

/** `size[;ext]\r\n data \r\n` … `0\r\n [trailers] \r\n`, each part possibly split across reads. */
class ChunkedDecoder implements BodyDecoder {
  readonly completeAtClose = false;
  overflow = 0;
  private state: "size" | "data" | "dataEnd" | "trailer" | "done" = "size";
  private line = "";
  private remaining = 0;

  push(bytes: Uint8Array, emit: (payload: Uint8Array) => void): "more" | "complete" {
    let at = 0;
    while (at < bytes.byteLength) {
      if (this.state === "done") {
        this.overflow += bytes.byteLength - at;
        break;
      }
      if (this.state === "data") {
        const take = Math.min(this.remaining, bytes.byteLength - at);
        emit(bytes.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = "dataEnd";
        continue;
      }
      // The other states read a line (the chunk's size, the CRLF after its data, a trailer).
      const newline = bytes.indexOf(0x0a, at);
      const end = newline === -1 ? bytes.byteLength : newline;
      this.line += Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString("latin1");
      at = end;
      if (this.line.length > MAX_CHUNK_LINE) throw new Error("a chunk header line is too long");
      if (newline === -1) break;
      at++; // past the \n
      const line = this.line.replace(/\r$/, "");
      this.line = "";
      this.onLine(line);
    }
    return this.state === "done" ? "complete" : "more";
  }

  private onLine(line: string): void {
    switch (this.state) {
      case "size": {
        const size = /^([0-9a-f]+)\s*(;.*)?$/i.exec(line);
        if (!size) throw new Error(`a malformed chunk size (${JSON.stringify(line.slice(0, 40))})`);
        this.remaining = Number.parseInt(size[1]!, 16);
        this.state = this.remaining === 0 ? "trailer" : "data";
        return;
      }
      case "dataEnd":
        if (line !== "") throw new Error("a chunk is longer than its size says");
        this.state = "size";
        return;
      case "trailer":
        if (line === "") this.state = "done";
        return;
      default:
        throw new Error(`unexpected chunk line in state ${this.state}`);
    }
  }
}
