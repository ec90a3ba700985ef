/**
 * kill -9 at random instants: of the CLI during a reply, a download and a bench, of `hearth
 * serve` during a reply, and of the engine during a reply and a bench. Afterwards nothing
 * acknowledged is lost, no row is left streaming or running, no library file is damaged, and the
 * next command works. One run of each here; HEARTH_KILL_RUNS=5 (`npm run test:slow`) repeats
 * each five times (30 runs). The instants come from a seed printed with every failure.
 */
import Database from "better-sqlite3";
import type { ChildProcess } from "node:child_process";
import fc from "fast-check";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../electron/core/createCore";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import { calls } from "../../electron/shared/contract";
import { sha256Of, startFakeHub, type FakeHub } from "../support/fakeHub";
import { rawGet, RawSocket } from "../support/rawClient";
import { runCli, spawnCli } from "../support/runCli";
import { tempDir } from "../support/tempDir";
import { testModelPath } from "../support/testModel";

const RUNS = Number(process.env.HEARTH_KILL_RUNS ?? 1);
const SEED = Number(process.env.HEARTH_KILL_SEED ?? Date.now() % 1_000_000);
/** Each run starts the CLI a few times (~3 s each here): time grows with the runs. */
const TIMEOUT = 120_000 * RUNS;
const root = tempDir("hearth-kill-");
let modelSha: string;
let dirs = 0;

/** Random instants (ms), the same for the same seed. */
const instants = (salt: number, min: number, max: number) => fc.sample(fc.integer({ min, max }), { numRuns: RUNS, seed: SEED + salt });

/** A data folder with a copy of the test model in it (Hearth owns the copy, so damage would show). */
async function seededDataDir(): Promise<{ dataDir: string; modelId: string; modelPath: string }> {
  const dataDir = path.join(root, `data-${++dirs}`);
  const imported = await runCli(["models", "import", testModelPath, "--copy", "--json"], { dataDir });
  expect(imported.code, imported.stderr).toBe(0);
  const { id, path: modelPath } = JSON.parse(imported.stdout);
  return { dataDir, modelId: id, modelPath };
}

/** Child processes of `pid`, read from /proc (a `ps` would be a child of its own). */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what} (seed ${SEED})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function kill9(child: ChildProcess): Promise<void> {
  const engines = childPids(child.pid!);
  // A command that already finished has nothing left to kill (and no exit left to wait for).
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
  // The engine follows its host: no orphan keeps the weights in memory.
  await until(() => engines.every((pid) => !alive(pid)), 10_000, "the engine to exit after its host");
}

/** What the next command must find: the data whole, nothing left streaming or running, the model file intact. */
async function expectRecovered(dataDir: string, modelPath: string): Promise<Database.Database> {
  const next = await runCli(["conversations", "list", "--json"], { dataDir });
  expect(next.code, `${next.stderr} (seed ${SEED})`).toBe(0);
  const db = new Database(path.join(dataDir, "hearth.db"), { readonly: true });
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  expect(db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE status = 'streaming'`).get()).toEqual({ n: 0 });
  expect(db.prepare(`SELECT COUNT(*) AS n FROM bench_runs WHERE status = 'running'`).get()).toEqual({ n: 0 });
  expect(await sha256Of(modelPath)).toBe(modelSha);
  return db;
}

beforeAll(async () => {
  modelSha = await sha256Of(testModelPath);
});

describe.skipIf(process.platform !== "linux")(`kill -9 at random instants (${RUNS} run(s) each, seed ${SEED})`, () => {
  it(
    "of the CLI during a reply: the prompt is kept, the partial reply is interrupted, the next command works",
    async () => {
      for (const delay of instants(1, 0, 1500)) {
        const { dataDir, modelId, modelPath } = await seededDataDir();
        const prompt = `Once upon a time (${delay})`;
        const child = spawnCli(["chat", "--model", modelId, "--threads", "1", "--max-tokens", "1900", "--prompt", prompt], dataDir);
        let out = "";
        child.stdout!.on("data", (chunk) => (out += chunk));
        child.stderr!.resume();
        await until(() => out.length > 0, 60_000, "the first token");
        await new Promise((resolve) => setTimeout(resolve, delay));
        await kill9(child);
        const db = await expectRecovered(dataDir, modelPath);
        // Streaming had begun, so the user's message was stored: it must still be there, whole.
        expect(db.prepare(`SELECT content FROM messages WHERE role = 'user'`).all()).toEqual([{ content: prompt }]);
        const reply = db.prepare(`SELECT status, content FROM messages WHERE role = 'assistant'`).get() as { status: string; content: string };
        expect(["interrupted", "complete"]).toContain(reply.status);
        db.close();
        const again = await runCli(["chat", "--model", modelId, "--threads", "1", "--max-tokens", "8", "--prompt", "Again"], { dataDir });
        expect(again.code, again.stderr).toBe(0);
      }
    },
    TIMEOUT,
  );

  it(
    "of `hearth serve` during a reply, and of the engine during a reply it serves",
    async () => {
      const serveDelays = instants(2, 0, 1500);
      const engineDelays = instants(3, 0, 1500);
      for (let run = 0; run < RUNS; run++) {
        const { dataDir, modelId, modelPath } = await seededDataDir();
        const { child, ws } = await serve(dataDir);
        expect(await ws.call(1, "engine.load", { modelId, settings: { threads: 1 } })).toMatchObject({ ok: true });

        // The engine dies mid-reply: that reply is interrupted with its text, the next one works.
        const first = await startReply(ws, 2, modelId, "The engine dies");
        await ws.untilEvent((e) => e.event === "chat.onDidStream" && e.payload.type === "token");
        await new Promise((resolve) => setTimeout(resolve, engineDelays[run]));
        for (const pid of childPids(child.pid!)) process.kill(pid, "SIGKILL");
        const ended = await ws.untilEvent(
          (e) => e.event === "chat.onDidStream" && e.payload.requestId === first.requestId && (e.payload.type === "error" || e.payload.type === "done"),
        );
        if (ended.payload.type === "error") expect(ended.payload).toMatchObject({ error: { code: "ENGINE_CRASHED" }, message: { status: "interrupted" } });
        const second = await startReply(ws, 3, modelId, "The next one works", 8, first.conversationId);
        await ws.untilEvent((e) => e.event === "chat.onDidStream" && e.payload.requestId === second.requestId && e.payload.type === "done");

        // Now the server itself dies mid-reply.
        const third = await startReply(ws, 4, modelId, "The server dies", 1900, first.conversationId);
        await ws.untilEvent((e) => e.event === "chat.onDidStream" && e.payload.type === "token" && e.payload.requestId === third.requestId);
        await new Promise((resolve) => setTimeout(resolve, serveDelays[run]));
        ws.destroy();
        await kill9(child);
        const db = await expectRecovered(dataDir, modelPath);
        const users = db.prepare(`SELECT content FROM messages WHERE role = 'user' ORDER BY created_at`).all();
        expect(users).toEqual([{ content: "The engine dies" }, { content: "The next one works" }, { content: "The server dies" }]);
        expect(db.prepare(`SELECT status FROM messages WHERE id = ?`).get(second.assistantMessageId)).toEqual({ status: "complete" });
        db.close();
      }
    },
    TIMEOUT,
  );

  it(
    "of the CLI during a download: the next pull resumes and verifies; no .part or lock is left",
    async () => {
      const hub: FakeHub = await startFakeHub([{ id: "hearth-test/kill-GGUF", files: [{ path: "stories260K.gguf", source: testModelPath }] }]);
      try {
        for (const delay of instants(4, 0, 2500)) {
          const dataDir = path.join(root, `pull-${++dirs}`);
          hub.faults = { throttleBytesPerSecond: 400_000 };
          const child = spawnCli(["models", "pull", "hearth-test/kill-GGUF"], dataDir, { HF_ENDPOINT: hub.url });
          child.stdout!.resume();
          child.stderr!.resume();
          await until(() => hub.served.some((r) => r.bytes > 0 && r.range === null), 60_000, "the download to start");
          await new Promise((resolve) => setTimeout(resolve, delay));
          await kill9(child);
          hub.faults = {};
          const again = await runCli(["models", "pull", "hearth-test/kill-GGUF", "--json"], { dataDir, env: { HF_ENDPOINT: hub.url } });
          expect(again.code, `${again.stderr} (seed ${SEED})`).toBe(0);
          const { modelId } = JSON.parse(again.stdout);
          const list = JSON.parse((await runCli(["models", "list", "--json"], { dataDir })).stdout);
          expect(list).toEqual([expect.objectContaining({ id: modelId, missing: false })]);
          expect(await sha256Of(list[0].path)).toBe(modelSha);
          expect(fs.readdirSync(path.dirname(list[0].path))).toEqual(["stories260K.gguf"]);
          hub.served.length = 0;
        }
      } finally {
        await hub.close();
      }
    },
    TIMEOUT,
  );

  it(
    "of the CLI during a bench: the run is marked interrupted, the next bench runs",
    async () => {
      for (const delay of instants(5, 0, 3000)) {
        const { dataDir, modelId, modelPath } = await seededDataDir();
        const child = spawnCli(["bench", "--model", modelId, "--pp", "64", "--tg", "64", "--reps", "100", "--threads", "1"], dataDir);
        let err = "";
        child.stderr!.on("data", (chunk) => (err += chunk));
        child.stdout!.resume();
        await until(() => fs.existsSync(path.join(dataDir, "hearth.db")) && childPids(child.pid!).length > 0, 60_000, "the bench to start");
        await new Promise((resolve) => setTimeout(resolve, delay));
        await kill9(child);
        const db = await expectRecovered(dataDir, modelPath);
        const runs = db.prepare(`SELECT status FROM bench_runs`).all() as { status: string }[];
        expect(
          runs.every((r) => r.status === "interrupted" || r.status === "done"),
          `${err} (seed ${SEED})`,
        ).toBe(true);
        db.close();
        const next = await runCli(["bench", "--model", modelId, "--pp", "16", "--tg", "4", "--reps", "1", "--threads", "1", "--json"], { dataDir });
        expect(next.code, next.stderr).toBe(0);
      }
    },
    TIMEOUT,
  );

  it(
    "of the engine during a bench row: that row fails, the run finishes",
    async () => {
      for (const delay of instants(6, 0, 1500)) {
        const core = createCore({ dataDir: path.join(root, `bench-${++dirs}`), keychain: null, backend: "cpu" });
        try {
          const model = await core.library.import(testModelPath, "reference");
          const before = new Set(childPids(process.pid));
          const { runId, done } = core.bench.start(calls["bench.start"].input.parse({ modelIds: [model.id], pp: [64], tg: [32], reps: 100, threads: [1] }));
          await until(() => childPids(process.pid).some((pid) => !before.has(pid)), 30_000, "the bench engine");
          await new Promise((resolve) => setTimeout(resolve, delay));
          for (const pid of childPids(process.pid).filter((p) => !before.has(p))) process.kill(pid, "SIGKILL");
          await done;
          const run = core.benchStore.getRun(runId);
          expect(run.status).toBe("done");
          expect(run.rows[0]).toMatchObject({ status: "error", error: { code: expect.any(String), message: expect.any(String) } });
          // The chat engine still loads and answers afterwards.
          await loadLibraryModel(core.engine, core.library, model.id, { threads: 1 });
        } finally {
          await core.close();
        }
      }
    },
    TIMEOUT,
  );
});

/** `hearth serve` on a data folder, and a socket opened the way the page opens it. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; ws: EventSocket }> {
  const child = spawnCli(["serve", "--port", "0"], dataDir);
  child.stderr!.resume();
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = /Hearth UI: (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`hearth serve exited with ${code}`)));
  });
  const address = new URL(url);
  const port = Number(address.port);
  const cookie = String((await rawGet(port, `/?token=${address.searchParams.get("token")}`)).headers["set-cookie"]?.[0]).split(";")[0]!;
  const socket = await RawSocket.open(port, {
    Origin: `http://127.0.0.1:${port}`,
    Cookie: cookie,
    "Sec-WebSocket-Protocol": `hearth, hearth.token.${address.searchParams.get("token")}`,
  });
  if (!(socket instanceof RawSocket)) throw new Error(`socket refused: ${socket}`);
  return { child, ws: new EventSocket(socket) };
}

interface ServerEvent {
  event: string;
  payload: { type: string; requestId: string; error?: unknown; message?: unknown };
}

/** A raw socket that keeps the events it reads while waiting for results, so none is missed. */
class EventSocket {
  private readonly events: ServerEvent[] = [];
  private readonly results = new Map<number, unknown>();
  constructor(private readonly socket: RawSocket) {}

  async call(id: number, call: string, input: unknown): Promise<{ ok: boolean; value?: unknown }> {
    this.socket.sendText(JSON.stringify({ id, call, input }));
    while (!this.results.has(id)) await this.pump();
    return this.results.get(id) as { ok: boolean; value?: unknown };
  }

  async untilEvent(match: (event: ServerEvent) => boolean): Promise<ServerEvent> {
    for (let at = 0; ; at++) {
      while (at >= this.events.length) await this.pump();
      if (match(this.events[at]!)) return this.events[at]!;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async pump(): Promise<void> {
    const frame = await this.socket.readFrame();
    if (!frame) throw new Error(`the socket closed (seed ${SEED})`);
    if (frame.opcode !== 0x1) return;
    const message = JSON.parse(frame.payload.toString("utf8"));
    if (message.type === "result") this.results.set(message.id, message.result);
    else this.events.push(message);
  }
}

async function startReply(ws: EventSocket, id: number, modelId: string, text: string, maxTokens = 1900, conversationId?: string) {
  const started = await ws.call(id, "chat.send", { text, modelId, conversationId, sampling: { maxTokens } });
  expect(started.ok, JSON.stringify(started)).toBe(true);
  return started.value as { requestId: string; conversationId: string; assistantMessageId: string };
}
