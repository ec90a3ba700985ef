import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamingGet } from "../../electron/core/network/streamingGet";

const tlsDir = path.join(__dirname, "../support/tls");
const cert = fs.readFileSync(path.join(tlsDir, "localhost-cert.pem"));
const key = fs.readFileSync(path.join(tlsDir, "localhost-key.pem"));
const payload = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 131) % 256));

/** Answers by path: /length (Content-Length), /chunked, /close (no framing), /cut (ends early), /hang. */
function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === "/length") {
    res.writeHead(200, { "content-length": payload.length, "x-range": req.headers.range ?? "none" });
    return void res.end(payload);
  }
  if (req.url === "/chunked") {
    res.writeHead(200); // no length: Node sends chunked
    for (let at = 0; at < payload.length; at += 70_001) res.write(payload.subarray(at, at + 70_001));
    return void res.end();
  }
  if (req.url === "/cut") {
    res.writeHead(200, { "content-length": payload.length });
    res.write(payload.subarray(0, 1000), () => res.socket?.destroy());
    return;
  }
  if (req.url === "/hang") {
    res.writeHead(200, { "content-length": 10 });
    return void res.write("12345");
  }
  res.writeHead(404, { "content-length": 9 });
  res.end("not found");
}

let plain: http.Server;
let secure: https.Server;
let raw: net.Server;
const address = (server: net.Server) => (server.address() as AddressInfo).port;

beforeAll(async () => {
  plain = http.createServer(handler);
  secure = https.createServer({ key, cert }, handler);
  // A server that closes the connection to end its body (HTTP/1.0 style), which node:http will not do.
  raw = net.createServer((socket) => {
    socket.once("data", () => socket.end(Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"), payload.subarray(0, 12345)])));
  });
  await Promise.all([plain, secure, raw].map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
});

afterAll(() => {
  for (const server of [plain, secure, raw]) server.close();
});

async function collect(url: string, options: { ca?: Buffer; area?: Uint8Array; signal?: AbortSignal } = {}) {
  const response = await streamingGet(new URL(url), { headers: { range: "bytes=0-" }, ca: options.ca, signal: options.signal });
  const parts: Buffer[] = [];
  let inArea = 0;
  const bytes = await response.readBody(
    (chunk) => {
      if (options.area && chunk.buffer === options.area.buffer) inArea += chunk.byteLength;
      parts.push(Buffer.from(chunk)); // a copy: the view is reused
    },
    options.area ? () => options.area! : undefined,
  );
  return { status: response.status, header: response.header, body: Buffer.concat(parts), bytes, inArea };
}

describe("streamingGet", () => {
  it("reads a Content-Length body, sending the request's headers", async () => {
    const result = await collect(`http://127.0.0.1:${address(plain)}/length`);
    expect(result.status).toBe(200);
    expect(result.header("X-Range")).toBe("bytes=0-");
    expect(result.bytes).toBe(payload.length);
    expect(result.body.equals(payload)).toBe(true);
  });

  it("reads into the consumer's own memory when it offers some", async () => {
    const area = new Uint8Array(new SharedArrayBuffer(1 << 20));
    const result = await collect(`http://127.0.0.1:${address(plain)}/length`, { area });
    expect(result.body.equals(payload)).toBe(true);
    // All but the bytes that came with the head were read in place.
    expect(result.inArea).toBeGreaterThan(payload.length / 2);
  });

  it("decodes a chunked body and reads to the close when nothing frames it", async () => {
    const chunked = await collect(`http://127.0.0.1:${address(plain)}/chunked`, { area: new Uint8Array(256 << 10) });
    expect(chunked.body.equals(payload)).toBe(true);
    const untilClose = await collect(`http://127.0.0.1:${address(raw)}/`);
    expect(untilClose.body.equals(payload.subarray(0, 12345))).toBe(true);
  });

  it("speaks HTTPS, checking the certificate", async () => {
    const result = await collect(`https://localhost:${address(secure)}/length`, { ca: cert, area: new Uint8Array(new SharedArrayBuffer(1 << 20)) });
    expect(result.body.equals(payload)).toBe(true);
    await expect(collect(`https://localhost:${address(secure)}/length`)).rejects.toThrow(/self-signed|certificate/i);
  });

  it("fails when the connection ends early, when aborted, and when the consumer throws", async () => {
    await expect(collect(`http://127.0.0.1:${address(plain)}/cut`)).rejects.toThrow(/closed after \d+ bytes of the body/);
    const controller = new AbortController();
    const hanging = collect(`http://127.0.0.1:${address(plain)}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("paused by the user")), 50);
    await expect(hanging).rejects.toThrow("paused by the user");
    const response = await streamingGet(new URL(`http://127.0.0.1:${address(plain)}/length`), { headers: {} });
    await expect(
      response.readBody(() => {
        throw new Error("disk on fire");
      }),
    ).rejects.toThrow("disk on fire");
  });

  it("waits while paused and carries on when resumed", async () => {
    const response = await streamingGet(new URL(`http://127.0.0.1:${address(plain)}/length`), { headers: {} });
    let received = 0;
    let pausedAt = -1;
    let duringPause = 0;
    const done = response.readBody((chunk) => {
      received += chunk.byteLength;
      if (pausedAt === -1) {
        pausedAt = received;
        response.pause();
        setTimeout(() => {
          duringPause = received - pausedAt;
          response.resume();
        }, 100);
      }
    });
    expect(await done).toBe(payload.length);
    expect(duringPause).toBe(0);
  });

  it("gives the status of an error answer, and refuses a protocol it does not speak", async () => {
    const response = await streamingGet(new URL(`http://127.0.0.1:${address(plain)}/missing`), { headers: {} });
    expect(response.status).toBe(404);
    response.discard();
    await expect(streamingGet(new URL("ftp://127.0.0.1/x"), { headers: {} })).rejects.toThrow(/Unsupported protocol/);
    const injected = { authorization: "Bearer abc\r\nX-Evil: 1" };
    await expect(streamingGet(new URL(`http://127.0.0.1:${address(plain)}/length`), { headers: injected })).rejects.toThrow(
      /authorization header contains a line break/,
    );
  });
});
