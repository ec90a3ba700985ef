/**
 * A local stand-in for the Hugging Face Hub: the API shapes Hearth reads (model search, repo
 * tree with LFS hashes) and file downloads with Range support, plus faults a real network
 * produces (a dropped connection, a stall, corrupted bytes, a gated repo). Tests point Hearth
 * at it with HF_ENDPOINT.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeFile {
  path: string;
  /** The bytes served, from a file on disk. */
  source: string;
  /** The hash the tree announces; by default the real one. */
  sha256?: string;
}

export interface FakeRepo {
  id: string;
  files: FakeFile[];
  downloads?: number;
  likes?: number;
  lastModified?: string;
  /** Needs `Authorization: Bearer <token>`. */
  gatedToken?: string;
}

export interface Faults {
  /** Answer a file list with an endless body (whitespace, as valid JSON would allow), as a hostile mirror might. */
  endlessApiBody?: boolean;
  /** Answer Range requests with the whole file (200), as some mirrors do. */
  ignoreRange?: boolean;
  /** Close the connection after this many bytes of the body, for the next `times` file requests. */
  dropAfterBytes?: { bytes: number; times: number };
  /** Send this many bytes, then nothing more (the socket stays open), for the next `times` requests. */
  stallAfterBytes?: { bytes: number; times: number };
  /** Flip a byte in everything served (the announced hash stays the real one). */
  corrupt?: boolean;
  /** Bytes a second per file request; unlimited when unset. */
  throttleBytesPerSecond?: number;
  /** Answer file requests with a redirect to this host (as the hub sends files from a CDN). */
  redirectFilesToHost?: string;
}

export interface ServedRequest {
  path: string;
  range: string | null;
  /** The Authorization header the request carried. */
  authorization: string | null;
  /** Body bytes written for this request. */
  bytes: number;
}

export interface FakeHub {
  url: string;
  faults: Faults;
  /** File requests seen (API calls are not counted here). */
  served: ServedRequest[];
  apiCalls: string[];
  close(): Promise<void>;
}

interface PreparedFile extends FakeFile {
  size: number;
  sha256: string;
  /** The whole file, when the hub holds files in memory. */
  bytes?: Buffer;
}

export interface FakeHubOptions {
  port?: number;
  /**
   * Serve files from memory rather than reading them for each request: for benchmarks, where
   * the hub shares the machine's cores with the client being measured (a real hub costs the
   * client's machine nothing); reading from the page cache roughly doubles the hub's CPU.
   */
  holdInMemory?: boolean;
}

export async function startFakeHub(repos: FakeRepo[], { port = 0, holdInMemory = false }: FakeHubOptions = {}): Promise<FakeHub> {
  const prepared = new Map<string, { repo: FakeRepo; files: Map<string, PreparedFile> }>();
  for (const repo of repos) {
    const files = new Map<string, PreparedFile>();
    for (const file of repo.files) {
      // Held in memory: size and hash come from the bytes, with no second read of the file.
      const bytes = holdInMemory ? fs.readFileSync(file.source) : undefined;
      const size = bytes?.length ?? fs.statSync(file.source).size;
      const sha256 = file.sha256 ?? (bytes ? createHash("sha256").update(bytes).digest("hex") : await sha256Of(file.source));
      files.set(file.path, { ...file, size, sha256, bytes });
    }
    prepared.set(repo.id, { repo, files });
  }
  const hub: FakeHub = { url: "", faults: {}, served: [], apiCalls: [], close: async () => undefined };
  const sockets = new Set<import("node:net").Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake-hub.invalid");
    const authorized = (repo: FakeRepo) => !repo.gatedToken || req.headers.authorization === `Bearer ${repo.gatedToken}`;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };

    if (url.pathname === "/api/models") {
      hub.apiCalls.push(req.url ?? "");
      const query = (url.searchParams.get("search") ?? "").toLowerCase();
      const limit = Number(url.searchParams.get("limit") ?? 50);
      const sort = url.searchParams.get("sort");
      const found = repos
        .filter((r) => r.id.toLowerCase().includes(query))
        .sort((a, b) => (sort === "lastModified" ? (b.lastModified ?? "").localeCompare(a.lastModified ?? "") : (b.downloads ?? 0) - (a.downloads ?? 0)))
        .slice(0, limit)
        .map((r) => ({
          _id: `id-${r.id}`,
          id: r.id,
          downloads: r.downloads ?? 0,
          likes: r.likes ?? 0,
          lastModified: r.lastModified ?? "2026-01-01T00:00:00.000Z",
          private: false,
          gated: r.gatedToken ? "manual" : false,
          pipeline_tag: "text-generation",
          siblings: r.files.map((f) => ({ rfilename: f.path })),
        }));
      return json(200, found);
    }

    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/main$/.exec(url.pathname);
    if (tree) {
      hub.apiCalls.push(req.url ?? "");
      if (hub.faults.endlessApiBody) {
        res.writeHead(200, { "content-type": "application/json" });
        const spaces = Buffer.alloc(1 << 20, 0x20);
        const more = () => {
          while (!res.destroyed && res.write(spaces));
          if (!res.destroyed) res.once("drain", more);
        };
        return more();
      }
      const entry = prepared.get(decodeURIComponent(tree[1]!));
      if (!entry) return json(404, { error: "Repository not found" });
      if (!authorized(entry.repo)) return json(401, { error: "Access to this repository is restricted." });
      return json(
        200,
        [...entry.files.values()].map((f) => ({
          type: "file",
          oid: "0".repeat(40),
          size: f.size,
          path: f.path,
          lfs: { oid: f.sha256, size: f.size, pointerSize: 134 },
        })),
      );
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const entry = prepared.get(decodeURIComponent(resolve[1]!));
      const file = entry?.files.get(decodeURIComponent(resolve[2]!));
      if (!entry || !file) return json(404, { error: "Entry not found" });
      if (!authorized(entry.repo)) return json(401, { error: "Access to this repository is restricted." });
      if (hub.faults.redirectFilesToHost) {
        const port = (server.address() as AddressInfo).port;
        res.writeHead(302, { location: `http://${hub.faults.redirectFilesToHost}:${port}/cdn${url.pathname}?X-Amz-Signature=signed-secret` });
        return void res.end();
      }
      return serveFile(req, res, file, hub);
    }
    // The "CDN": serves what the hub redirected to, with no token needed (signed URLs on the real one).
    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url.pathname);
    if (cdn) {
      const file = prepared.get(decodeURIComponent(cdn[1]!))?.files.get(decodeURIComponent(cdn[2]!));
      if (!file) return json(404, { error: "Entry not found" });
      return serveFile(req, res, file, hub);
    }
    json(404, { error: "Not found" });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return hub;
}

function serveFile(req: http.IncomingMessage, res: http.ServerResponse, file: PreparedFile, hub: FakeHub): void {
  const range = req.headers.range ?? null;
  let start = 0;
  let end = file.size - 1;
  const match = range && !hub.faults.ignoreRange ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
  if (match) {
    start = Number(match[1]);
    if (match[2]) end = Math.min(Number(match[2]), file.size - 1);
    if (start >= file.size) {
      res.writeHead(416, { "content-range": `bytes */${file.size}` });
      return void res.end();
    }
  }
  const headers = {
    "content-type": "application/octet-stream",
    "content-length": String(end - start + 1),
    "accept-ranges": "bytes",
    etag: `"${file.sha256}"`,
    "x-linked-size": String(file.size),
    ...(match ? { "content-range": `bytes ${start}-${end}/${file.size}` } : {}),
  };
  res.writeHead(match ? 206 : 200, headers);
  const record: ServedRequest = { path: file.path, range, authorization: req.headers.authorization ?? null, bytes: 0 };
  hub.served.push(record);
  if (req.method === "HEAD") return void res.end();

  const { faults } = hub;
  const drop = takeFault(faults, "dropAfterBytes");
  const stall = takeFault(faults, "stallAfterBytes");
  const limit = drop ?? stall ?? Number.POSITIVE_INFINITY;
  // 256 KiB pieces: on the build machine 1 MiB copies cost several times more CPU, which the hub would take from the client.
  const pieceBytes = faults.throttleBytesPerSecond ? 16 * 1024 : 256 * 1024;
  const stream = file.bytes ? memoryPieces(file.bytes, start, end, pieceBytes) : fs.createReadStream(file.source, { start, end, highWaterMark: pieceBytes });
  // A file stream is closed with the response; the memory pieces stop at the next look at res.destroyed.
  if (stream instanceof fs.ReadStream) res.on("close", () => stream.destroy());
  const began = Date.now();
  void (async () => {
    let sent = 0;
    for await (const chunk of stream) {
      if (res.destroyed) return;
      let data = chunk as Buffer;
      if (faults.corrupt && sent === 0) {
        data = Buffer.from(data);
        data[data.length - 1]! ^= 0xff;
      }
      const last = sent + data.length >= limit;
      if (last) data = data.subarray(0, limit - sent);
      sent += data.length;
      record.bytes = sent;
      if (last) {
        // Let these bytes reach the client, then cut the connection (a drop) or go silent (a stall).
        await new Promise<void>((resolve) => res.write(data, () => resolve()));
        if (drop !== undefined) res.socket?.destroy();
        return;
      }
      if (!res.write(data)) await once(res, "drain");
      if (faults.throttleBytesPerSecond) {
        const due = (sent / faults.throttleBytesPerSecond) * 1000 - (Date.now() - began);
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      }
    }
    res.end();
  })().catch(() => res.destroy());
}

function* memoryPieces(bytes: Buffer, start: number, end: number, pieceBytes: number): Generator<Buffer, void, undefined> {
  for (let at = start; at <= end; at += pieceBytes) yield bytes.subarray(at, Math.min(at + pieceBytes, end + 1));
}

function takeFault(faults: Faults, name: "dropAfterBytes" | "stallAfterBytes"): number | undefined {
  const fault = faults[name];
  if (!fault || fault.times <= 0) return undefined;
  fault.times--;
  return fault.bytes;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
