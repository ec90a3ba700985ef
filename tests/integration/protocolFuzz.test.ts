/**
 * Browser mode under fire: thousands of generated frames and envelopes (wrong types, huge,
 * truncated, invalid UTF-8, unknown calls, prototype keys, deep nesting) and HTTP requests
 * against one running server, which must stay up, answer every well-formed request, and leave
 * the database whole. Seeded, so a failure can be replayed.
 */
import fc from "fast-check";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../electron/core/createCore";
import { startBrowserServer, type BrowserServer } from "../../electron/core/server/BrowserServer";
import { callNames } from "../../electron/shared/contract";
import { rawGet, RawSocket } from "../support/rawClient";
import { tempDir } from "../support/tempDir";

const SEED = Number(process.env.HEARTH_FUZZ_SEED ?? 20261203);
// Calls that start engine processes are left out: they are slow, and answer the same way.
const FUZZED_CALLS = callNames.filter((name) => !["hardware.get", "bench.start", "arena.start"].includes(name));

const root = tempDir();
const rendererDir = path.join(root, "renderer");
fs.mkdirSync(rendererDir);
fs.writeFileSync(path.join(rendererDir, "index.html"), "<html><head></head><body></body></html>");

let core: Core;
let server: BrowserServer;
let port: number;
let cookie: string;
const offlineBefore = process.env.HEARTH_OFFLINE;

beforeAll(async () => {
  // Nothing generated may reach the network: hub calls fail at once.
  process.env.HEARTH_OFFLINE = "1";
  core = createCore({ dataDir: path.join(root, "data"), keychain: null });
  server = await startBrowserServer({ core, rendererDir, port: 0, logLine: () => undefined, logError: () => undefined });
  port = Number(new URL(server.url).port);
  cookie = String((await rawGet(port, `/?token=${server.token}`)).headers["set-cookie"]?.[0]).split(";")[0]!;
});
afterAll(async () => {
  await server.close();
  await core.close();
  if (offlineBefore === undefined) delete process.env.HEARTH_OFFLINE;
  else process.env.HEARTH_OFFLINE = offlineBefore;
});

const open = async () => {
  const socket = await RawSocket.open(port, {
    Origin: `http://127.0.0.1:${port}`,
    Cookie: cookie,
    "Sec-WebSocket-Protocol": `hearth, hearth.token.${server.token}`,
  });
  if (!(socket instanceof RawSocket)) throw new Error(`socket refused: ${socket}`);
  return socket;
};

/** Reads results until every id in `ids` has one (events are skipped); returns them by id. */
async function results(ws: RawSocket, ids: Set<number>): Promise<Map<number, { ok: boolean }>> {
  const got = new Map<number, { ok: boolean }>();
  while (got.size < ids.size) {
    const frame = await ws.readFrame();
    if (!frame) throw new Error(`socket closed with ${ids.size - got.size} results missing`);
    if (frame.opcode !== 0x1) continue;
    const message = JSON.parse(frame.payload.toString("utf8"));
    if (message.type === "result" && ids.has(message.id)) got.set(message.id, message.result);
  }
  return got;
}

/** Any JSON, some of it hostile: prototype keys, deep nesting, long strings, big numbers. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom<unknown>({ __proto__: { polluted: true } }, JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')),
  fc.record(
    {
      id: fc.string(),
      title: fc.string({ unit: "binary", maxLength: 2000 }),
      text: fc.string({ unit: "binary", maxLength: 5000 }),
      query: fc.string({ unit: "binary", maxLength: 600 }),
      path: fc.constantFrom("/etc/passwd", "../../hearth.db", "", "\u0000"),
    },
    { requiredKeys: [] },
  ),
  fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`)),
);

describe("the socket protocol under fuzzing", () => {
  it("answers 10,000 generated envelopes, each by its id, and refuses malformed ones without closing", async () => {
    const envelopes = fc.sample(
      fc.record({
        call: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FUZZED_CALLS) }, { weight: 1, arbitrary: fc.string({ maxLength: 120 }) }),
        input: hostileJson,
      }),
      { numRuns: 8_000, seed: SEED },
    );
    const ws = await open();
    let id = 1;
    let succeeded = 0;
    // 32 at a time: the most one socket may have in flight.
    for (let at = 0; at < envelopes.length; at += 32) {
      const batch = new Set<number>();
      for (const { call, input } of envelopes.slice(at, at + 32)) {
        batch.add(id);
        ws.sendText(JSON.stringify({ id: id++, call, input }));
      }
      const answered = await results(ws, batch);
      for (const result of answered.values()) {
        expect(typeof result.ok).toBe("boolean");
        if (result.ok) succeeded++;
      }
    }
    // The generator reaches the handlers (not only the schema's refusals), and both ways out.
    expect(succeeded).toBeGreaterThan(500);
    expect(succeeded).toBeLessThan(envelopes.length);

    // Frames that are not envelopes: each answered with the malformed-message result (id -1).
    const junk = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        hostileJson.map((value) => JSON.stringify(value)),
        fc
          .record({ id: fc.oneof(fc.string(), fc.double(), fc.constant(null)), call: fc.anything(), input: fc.anything() })
          .map((v) => JSON.stringify(v) ?? "null"),
        fc.string({ minLength: 2, maxLength: 200 }).map((s) => JSON.stringify({ id: 1, call: "conversations.list", input: s }).slice(0, -1)), // truncated
        fc.nat({ max: 100_000 }).map((depth) => `${"[".repeat(depth)}`), // deep and unfinished
      ),
      { numRuns: 1_800, seed: SEED + 1 },
    );
    let malformed = 0;
    for (const text of junk) {
      ws.sendText(text);
      const frame = await ws.readFrame();
      const message = JSON.parse(frame!.payload.toString("utf8"));
      if (message.type === "result" && message.id === -1) malformed++;
      else expect(message.type).toBe("result"); // a string that happened to be a valid envelope
    }
    expect(malformed).toBeGreaterThan(1_500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    ws.destroy();
  }, 300_000);

  it("closes sockets that break the framing (300 of them) and goes on serving", async () => {
    const faults = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: "raw" as const, bytes })),
        fc
          .record({ opcode: fc.constantFrom(0x3, 0x4, 0x5, 0xb, 0xf), payload: fc.uint8Array({ maxLength: 32 }) })
          .map((f) => ({ kind: "opcode" as const, ...f })),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: "utf8" as const, bytes: Uint8Array.from([0xff, ...bytes]) })),
        fc.constant({ kind: "unmasked" as const }),
        fc.constant({ kind: "control-fragment" as const }),
      ),
      { numRuns: 300, seed: SEED + 2 },
    );
    for (const fault of faults) {
      const ws = await open();
      switch (fault.kind) {
        case "raw":
          (ws as unknown as { socket: import("node:net").Socket }).socket.write(Buffer.from(fault.bytes));
          break;
        case "opcode":
          ws.sendFrame(fault.opcode, Buffer.from(fault.payload));
          break;
        case "utf8":
          ws.sendText(Buffer.from(fault.bytes));
          break;
        case "unmasked":
          ws.sendFrame(0x1, Buffer.from('{"id":1}'), { masked: false });
          break;
        case "control-fragment":
          ws.sendFrame(0x9, Buffer.from("ping"), { fin: false });
          break;
        default:
          fault satisfies never;
      }
      ws.destroy();
    }
    const after = await open();
    expect(await after.call(1, "conversations.list", {})).toMatchObject({ ok: true });
    after.destroy();
  }, 120_000);

  it("answers 1,000 generated HTTP requests with a status, never a 500, and serves after them", async () => {
    const requests = fc.sample(
      fc.record({
        path: fc.oneof(
          fc.webPath(),
          fc.string({ maxLength: 80 }).map((s) => `/${encodeURIComponent(s)}`),
          fc.constantFrom("/%E0%A4%A", "/%", "/..%2F..%2Fhearth.db", "/%00", "//etc/passwd", "/index.html?token=", "/api"),
        ),
        withCookie: fc.boolean(),
      }),
      { numRuns: 1_000, seed: SEED + 3 },
    );
    for (const request of requests) {
      const response = await rawGet(port, request.path.startsWith("/") ? request.path : `/${request.path}`, request.withCookie ? { Cookie: cookie } : {});
      expect([200, 303, 400, 401, 403, 404, 405]).toContain(response.status);
    }
    expect((await rawGet(port, "/", { Cookie: cookie })).status).toBe(200);
  }, 120_000);

  it("leaves the database whole", () => {
    expect(core.db.pragma("integrity_check", { simple: true })).toBe("ok");
  });
});
