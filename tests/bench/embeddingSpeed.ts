/**
 * Embedding throughput: passages embedded through Hearth's path (the indexer's batches of 32 sent
 * to the engine process, vectors back over IPC) against `directEmbed.mjs` (node-llama-cpp alone,
 * the same model, threads and context), in interleaved rounds of fresh processes. Target: within
 * 5%. The model is stories260K (`BENCH_EMBED_MODEL=tiny` takes a synthetic model of real shape);
 * `BENCH_PASSAGES`, `BENCH_ROUNDS` adjust it.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { EngineHost } from "../../electron/core/engine/EngineHost";
import { physicalCoreCount } from "../../electron/core/engine/worker/physicalCores";
import { projectRoot } from "../support/testModel";
import { median, syntheticModel, testModelPath, zipfWords } from "./benchSupport";

const run = promisify(execFile);
const PASSAGES = Number(process.env.BENCH_PASSAGES ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The indexer's batch (EMBED_BATCH in DocumentIndexer). */
const BATCH = 32;

export async function embeddingSpeed(): Promise<void> {
  const model = process.env.BENCH_EMBED_MODEL === "tiny" ? await syntheticModel("tiny", "q8_0") : testModelPath;
  const { word } = zipfWords(5);
  const texts = Array.from({ length: PASSAGES }, () => Array.from({ length: 130 }, word).join(" "));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-embed-"));
  const textsFile = path.join(dir, "texts.json");
  fs.writeFileSync(textsFile, JSON.stringify(texts));
  const threads = physicalCoreCount();
  const hearth: number[] = [];
  const direct: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { stdout } = await run(process.execPath, [path.join(projectRoot, "tests/bench/directEmbed.mjs"), model, String(threads), textsFile], {
        maxBuffer: 1 << 24,
      });
      direct.push(PASSAGES / (JSON.parse(stdout.trim().split("\n").at(-1)!) as { seconds: number }).seconds);

      const engine = new EngineHost({ backend: "cpu" });
      try {
        await engine.load({ id: null, name: path.basename(model), path: model }, { gpuLayers: "off", contextSize: 512, threads, flashAttention: false });
        const embedAll = async () => {
          for (let at = 0; at < texts.length; at += BATCH) await engine.embedBatch(texts.slice(at, at + BATCH));
        };
        await embedAll();
        const started = performance.now();
        await embedAll();
        hearth.push(PASSAGES / ((performance.now() - started) / 1000));
      } finally {
        await engine.dispose();
      }
    }
    const ours = median(hearth);
    const theirs = median(direct);
    const gap = (theirs - ours) / theirs;
    console.log(`\nembeddingSpeed: ${PASSAGES} passages of ~130 words, ${path.basename(model)}, ${threads} threads, ${ROUNDS} interleaved rounds, medians`);
    console.log(`  node-llama-cpp directly  ${theirs.toFixed(1)} passages/s   (rounds ${direct.map((v) => v.toFixed(1)).join(", ")})`);
    console.log(`  Hearth (engine process)  ${ours.toFixed(1)} passages/s   (rounds ${hearth.map((v) => v.toFixed(1)).join(", ")})`);
    console.log(`  Hearth is ${(gap * 100).toFixed(1)}% ${gap >= 0 ? "slower" : "faster"}  ${gap <= 0.05 ? "met" : "NOT met"} (target within 5%)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
