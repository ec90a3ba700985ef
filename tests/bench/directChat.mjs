// The baseline: minimal node-llama-cpp chat turns, no Hearth in between. Loads the model, then
// speaks turnProtocol.mjs (warm-up, "ready", one measured turn per line read on stdin, printed as
// one JSON line). Like Hearth, the context is not cleared between turns.
// Usage: node tests/bench/directChat.mjs MODEL PROMPT MAX_TOKENS THREADS CTX   (BENCH_MMAP=0: no mmap)
import { performance } from "node:perf_hooks";
import { getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";
import { serveTurns } from "./turnProtocol.mjs";

const [modelPath, prompt, maxTokens, threads, ctx] = process.argv.slice(2);
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
// The same load settings as Hearth's side: no GPU layers, no flash attention.
const model = await llama.loadModel({ modelPath, gpuLayers: 0, defaultContextFlashAttention: false, useMmap: process.env.BENCH_MMAP !== "0" });
const context = await model.createContext({ contextSize: Number(ctx), threads: Number(threads), flashAttention: false });
const sequence = context.getSequence();
const chat = new LlamaChat({ contextSequence: sequence });
// Hearth's engine answers a one-token reply at load and clears it (engineWorker.ts, warmUp), and
// every later first token comes 35-45 ms sooner for it at 1B, even after the turns below warm up
// (measured: this script with and without it, 10 sessions, 0.1% apart in tok/s). The baseline does
// the same, so the time-to-first-token figure is the cost of Hearth's path, not the warm-up's gain.
await chat.generateResponse(
  [
    { type: "user", text: "Hi" },
    { type: "model", response: [] },
  ],
  { maxTokens: 1 },
);
await sequence.clearHistory();

async function turn() {
  const before = sequence.tokenMeter.getState();
  const started = performance.now();
  let first = null;
  let last = null;
  await chat.generateResponse(
    [
      { type: "user", text: prompt },
      { type: "model", response: [] },
    ],
    {
      maxTokens: Number(maxTokens),
      temperature: 0.8,
      topK: 40,
      topP: 0.95,
      minP: 0.05,
      seed: 1,
      repeatPenalty: { penalty: 1.1, lastTokens: 64 },
      onResponseChunk: (chunk) => {
        if (chunk.text.length === 0) return;
        last = performance.now();
        first ??= last;
      },
    },
  );
  const used = sequence.tokenMeter.diff(before);
  return {
    completionTokens: used.usedOutputTokens,
    timeToFirstTokenMs: first - started,
    // As Hearth counts it: N tokens span the N-1 intervals from the first to the last.
    tokensPerSecond: (used.usedOutputTokens - 1) / ((last - first) / 1000),
  };
}

await serveTurns(turn);
process.exit(0);
