// The baseline for `embeddingSpeed`: embeddings with nothing but node-llama-cpp, made as Hearth's
// engine makes them (an embedding context of the model's context up to 2,048 tokens, as large a
// batch, each text cut to fit, one text at a time). Prints one JSON line: seconds for the texts.
// Usage: node tests/bench/directEmbed.mjs MODEL THREADS TEXTS_JSON_FILE
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, threads, textsFile] = process.argv.slice(2);
const texts = JSON.parse(fs.readFileSync(textsFile, "utf8"));
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
// As Hearth loads it: no GPU layers, flash attention off unless asked (the setting Hearth passes).
const model = await llama.loadModel({ modelPath, gpuLayers: 0, defaultContextFlashAttention: false });
const contextSize = Math.min(2048, model.trainContextSize);
const embedding = await model.createEmbeddingContext({ threads: Number(threads), contextSize, batchSize: contextSize });
const embedAll = async () => {
  for (const text of texts) {
    let tokens = model.tokenize(text);
    const room = contextSize - (embedding.calculateInputLength(tokens) - tokens.length) - 1;
    if (tokens.length > room) tokens = tokens.slice(0, room);
    await embedding.getEmbeddingFor(tokens);
  }
};
await embedAll(); // warm-up, untimed
const started = performance.now();
await embedAll();
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
process.exit(0);
