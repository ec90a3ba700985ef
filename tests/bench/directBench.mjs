// The baseline for `benchOverhead`: the llama-bench method with nothing but node-llama-cpp. Loads
// the model, runs one untimed repetition, then REPS timed ones: clear the context, evaluate PP
// prompt tokens (timed to the first generated token), generate TG more (timed). Prints one JSON
// line: tokens per second of each repetition.
// Usage: node tests/bench/directBench.mjs MODEL PP TG REPS THREADS CTX
import { performance } from "node:perf_hooks";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, pp, tg, reps, threads, ctx] = process.argv.slice(2);
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
// Hearth's bench settings: no GPU layers, no flash attention, weights read rather than mapped.
const model = await llama.loadModel({ modelPath, gpuLayers: 0, defaultContextFlashAttention: false, useMmap: false });
const context = await model.createContext({ contextSize: Number(ctx), threads: Number(threads), flashAttention: false });
const sequence = context.getSequence();
// The very text Hearth's engine worker tokenizes for its bench (BENCH_TEXT in engineWorker.ts).
const source = model.tokenize(
  "The quick brown fox jumps over the lazy dog while the river runs past old stone bridges, and people in the market talk about weather, prices, music and the long road home. ",
);
const tokens = (count, offset = 0) => Array.from({ length: count }, (_, i) => source[(i + offset) % source.length]);

const result = { pp: [], tg: [] };
for (let rep = 0; rep <= Number(reps); rep++) {
  await sequence.clearHistory();
  const started = performance.now();
  const generator = sequence.evaluate(tokens(Number(pp)), { temperature: 0, yieldEogToken: true });
  await generator.next();
  const first = performance.now();
  for (let i = 0; i < Number(tg); i++) await generator.next();
  const finished = performance.now();
  await generator.return();
  if (rep > 0) {
    result.pp.push(Number(pp) / ((first - started) / 1000));
    result.tg.push(Number(tg) / ((finished - first) / 1000));
  }
}
console.log(JSON.stringify(result));
process.exit(0);
