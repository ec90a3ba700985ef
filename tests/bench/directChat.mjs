// The baseline: a minimal node-llama-cpp chat turn, no Hearth in between. Prints one JSON line.
// Usage: node tests/bench/directChat.mjs MODEL PROMPT MAX_TOKENS THREADS CTX
import { performance } from "node:perf_hooks";
import { getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, prompt, maxTokens, threads, ctx] = process.argv.slice(2);
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
// The same load settings Hearth's defaults give on a CPU: no GPU layers, no flash attention.
const model = await llama.loadModel({ modelPath, gpuLayers: 0, defaultContextFlashAttention: false });
const context = await model.createContext({ contextSize: Number(ctx), threads: Number(threads), flashAttention: false });
const sequence = context.getSequence();
const chat = new LlamaChat({ contextSequence: sequence });
// Warm up once and forget it, so the measured turn does not pay for the load finishing in the background.
await chat.generateResponse([{ type: "user", text: "Hi" }, { type: "model", response: [] }], { maxTokens: 1 });
await sequence.clearHistory();
const before = sequence.tokenMeter.getState();
const started = performance.now();
let first = null;
await chat.generateResponse([{ type: "user", text: prompt }, { type: "model", response: [] }], {
  maxTokens: Number(maxTokens),
  temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, seed: 1,
  repeatPenalty: { penalty: 1.1, lastTokens: 64 },
  onResponseChunk: (chunk) => { if (chunk.text.length > 0) first ??= performance.now(); },
});
const ended = performance.now();
const used = sequence.tokenMeter.diff(before);
console.log(JSON.stringify({
  completionTokens: used.usedOutputTokens,
  timeToFirstTokenMs: first - started,
  tokensPerSecond: (used.usedOutputTokens - 1) / ((ended - first) / 1000),
}));
process.exit(0);
