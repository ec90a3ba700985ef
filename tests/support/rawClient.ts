/**
 * A raw HTTP and WebSocket client, so the server tests see exactly what another local program
 * would: no browser, no ws client fixing up frames for us.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request to 127.0.0.1 with exactly the path and headers given (Node's fetch would normalize them). */
export function rawGet(port: number, pathname: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: pathname, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

/** A WebSocket opened by hand: the handshake, then frames written byte by byte. */
export class RawSocket {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private ended = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    socket.on("close", () => {
      this.ended = true;
      this.waiting?.();
    });
    socket.on("error", () => undefined);
  }

  /** Resolves with the socket once upgraded, or with the HTTP status line's code when refused. */
  static open(port: number, headers: Record<string, string> = {}, pathname = "/api"): Promise<RawSocket | number> {
    const socket = net.connect(port, "127.0.0.1");
    const raw = new RawSocket(socket);
    const lines = [
      `GET ${pathname} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`,
      "Sec-WebSocket-Version: 13",
      ...Object.entries(headers).map(([key, value]) => `${key}: ${value}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    return raw.readHandshake();
  }

  private async readHandshake(): Promise<RawSocket | number> {
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end >= 0) {
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(this.buffer.toString("latin1", 0, end))?.[1] ?? 0);
        this.buffer = this.buffer.subarray(end + 4);
        if (status === 101) return this;
        this.socket.destroy();
        return status;
      }
      if (this.ended) return 0;
      await this.more();
    }
  }

  /** One frame; client frames are masked unless `masked: false` (a protocol error). */
  sendFrame(opcode: number, payload: Buffer, options: { masked?: boolean; fin?: boolean } = {}): void {
    this.socket.write(frame(opcode, payload, options));
  }

  /** Several text frames in one write, so the server reads them all at once. */
  sendTexts(texts: string[]): void {
    this.socket.write(Buffer.concat(texts.map((text) => frame(0x1, Buffer.from(text)))));
  }

  /** Stops reading from the connection, as a client that never reads its answers would. */
  stopReading(): void {
    this.socket.pause();
  }

  /** Whether the server has closed the connection. */
  get closed(): boolean {
    return this.ended;
  }

  sendText(text: string | Buffer): void {
    this.sendFrame(0x1, Buffer.isBuffer(text) ? text : Buffer.from(text));
  }

  /** The next frame from the server, or null once the connection is closed. */
  async readFrame(): Promise<{ opcode: number; payload: Buffer } | null> {
    for (;;) {
      const frame = this.parseFrame();
      if (frame) return frame;
      if (this.ended) return null;
      await this.more();
    }
  }

  /** Reads until the server's close frame: its status code (or null if the connection just ended). */
  async closeCode(): Promise<number | null> {
    for (;;) {
      const frame = await this.readFrame();
      if (!frame) return null;
      if (frame.opcode === 0x8) return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
    }
  }

  /** Sends a call and reads frames until its result (events are skipped). */
  async call(id: number, call: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    this.sendText(JSON.stringify({ id, call, input }));
    for (;;) {
      const frame = await this.readFrame();
      if (!frame) throw new Error(`the socket closed before the result of ${call}`);
      if (frame.opcode !== 0x1) continue;
      const message = JSON.parse(frame.payload.toString("utf8"));
      if (message.type === "result" && message.id === id) return message.result;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parseFrame(): { opcode: number; payload: Buffer } | null {
    if (this.buffer.length < 2) return null;
    let length = this.buffer[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (this.buffer.length < 4) return null;
      length = this.buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (this.buffer.length < 10) return null;
      length = Number(this.buffer.readBigUInt64BE(2));
      offset = 10;
    }
    if (this.buffer.length < offset + length) return null;
    const frame = { opcode: this.buffer[0]! & 0x0f, payload: this.buffer.subarray(offset, offset + length) };
    this.buffer = this.buffer.subarray(offset + length);
    return frame;
  }

  private more(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = () => {
        this.waiting = null;
        resolve();
      };
    });
  }
}

/** A client frame: FIN set unless told, masked unless told (an unmasked client frame is a protocol error). */
function frame(opcode: number, payload: Buffer, options: { masked?: boolean; fin?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = ((options.fin ?? true) ? 0x80 : 0) | opcode;
  if (length < 126) header[1] = length;
  else if (length < 65_536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (masked) header[1]! |= 0x80;
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = masked ? Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!)) : payload;
  return Buffer.concat([header, mask, body]);
}
