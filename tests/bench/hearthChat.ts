// Hearth's side of the chat benchmark: the path every transport uses (ChatService -> EngineHost ->
// engine process -> SQLite). Same protocol as directChat.mjs (turnProtocol.mjs); each turn is a new
// conversation with the same prompt, stats read from the stored reply.
// Usage: node --import tsx tests/bench/hearthChat.ts MODEL PROMPT MAX_TOKENS THREADS CTX
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { calls } from "../../electron/shared/contract";
import { createCore } from "../../electron/core/createCore";
import { loadLibraryModel } from "../../electron/core/engine/loadLibraryModel";
import { forkEngine } from "../../electron/core/engine/spawnEngine";
import { serveTurns } from "./turnProtocol.mjs";

const [modelPath, prompt, maxTokens, threads, ctx] = process.argv.slice(2);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-"));
// BENCH_WORKER: run this engine worker file (a build's out/main/engineWorker.js) instead of the sources.
const core = createCore({ dataDir, backend: "cpu", spawnEngine: process.env.BENCH_WORKER ? forkEngine(process.env.BENCH_WORKER) : undefined });
try {
  const model = await core.library.import(modelPath!, "reference");
  await loadLibraryModel(core.engine, core.library, model.id, {
    threads: Number(threads),
    contextSize: Number(ctx),
    useMmap: process.env.BENCH_MMAP !== "0",
  });
  const turn = async () => {
    const input = calls["chat.send"].input.parse({ text: prompt, sampling: { maxTokens: Number(maxTokens), seed: 1 } });
    const started = await core.chat.send(input);
    const { message, error } = await core.chat.wait(started.requestId);
    if (error) throw new Error(error.message);
    return { completionTokens: message.completionTokens, timeToFirstTokenMs: message.timeToFirstTokenMs, tokensPerSecond: message.tokensPerSecond };
  };
  await serveTurns(turn);
} finally {
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
