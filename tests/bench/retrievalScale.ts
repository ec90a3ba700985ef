/**
 * Hybrid retrieval at scale: a collection of 100,000 chunks (1,000 documents of 100 passages, text
 * drawn Zipf-like, 384-number vectors as bge-small makes), then top-10 search fusing BM25 and
 * vector neighbours, timed in this process. The query's vector is a passage's own with noise, so
 * the neighbours stand out as a real model's do. Target: p95 under 30 ms.
 * `BENCH_CHUNKS`, `BENCH_DIMS` and `BENCH_REPS` adjust it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DocumentStore } from "../../electron/core/documents/DocumentStore";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { zipfWords } from "./benchSupport";

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 384);
const REPS = Number(process.env.BENCH_REPS ?? 100);
const PER_DOCUMENT = 100;
const TARGET_MS = 30;

export async function retrievalScale(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-retrieval-"));
  try {
    const db = openDatabase(path.join(dir, "hearth.db"));
    const store = new DocumentStore(db);
    const collection = store.createCollection("Bench");
    store.bindEmbeddingModel(collection.id, { id: "bench-model", name: "bench" });
    const { word, random } = zipfWords(7);
    const vector = () => normalize(Float32Array.from({ length: DIMS }, () => random() * 2 - 1));
    const started = performance.now();
    const kept: { text: string; vector: Float32Array }[] = [];
    for (let d = 0; d < CHUNKS / PER_DOCUMENT; d++) {
      const chunks = [];
      const vectors = [];
      let text = "";
      for (let c = 0; c < PER_DOCUMENT; c++) {
        const passage = Array.from({ length: 160 }, word).join(" ");
        chunks.push({ page: 1 + Math.floor(c / 4), heading: null, start: text.length, end: text.length + passage.length, text: passage });
        text += `${passage}\n\n`;
        const v = vector();
        vectors.push(v);
        if (c === 0 && kept.length < REPS) kept.push({ text: passage, vector: v });
      }
      const pages = Array.from({ length: PER_DOCUMENT / 4 }, (_, p) => ({ page: p + 1, text, blocks: [] }));
      store.saveDocument(collection.id, {
        path: `/bench/doc-${d}.pdf`,
        name: `doc-${d}.pdf`,
        sha256: String(d),
        bytes: text.length,
        parsed: { format: "pdf", pages, pagesWithoutText: [], pagesRead: [] },
        chunks,
        vectors,
      });
    }
    const fillSeconds = (performance.now() - started) / 1000;
    console.log(
      `\nretrievalScale: ${CHUNKS.toLocaleString("en-US")} chunks, ${DIMS}-number vectors (stored in ${fillSeconds.toFixed(0)} s); ${REPS} questions, ms`,
    );
    // A question: six of a passage's words, its vector with noise.
    const questions = kept.map(({ text, vector: v }) => {
      const words = text.split(" ");
      const query = Array.from({ length: 6 }, () => words[Math.floor(random() * words.length)]).join(" ");
      return { query, queryVector: normalize(v.map((x) => x + (random() * 2 - 1) * 0.05)) };
    });
    for (const [name, withVectors] of [
      ["hybrid (BM25 + vectors, fused), top 10", true],
      ["full text alone, top 10", false],
    ] as const) {
      const times: number[] = [];
      store.search(collection.id, questions[0]!.query, { queryVector: withVectors ? questions[0]!.queryVector : null, limit: 10 });
      for (const q of questions) {
        const t = performance.now();
        store.search(collection.id, q.query, { queryVector: withVectors ? q.queryVector : null, limit: 10 });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)]!;
      const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
      const verdict = withVectors ? `  ${p95 <= TARGET_MS ? "met" : "NOT met"} (p95 target ${TARGET_MS} ms)` : "";
      console.log(`  ${name.padEnd(42)} p50 ${p50.toFixed(1).padStart(6)}  p95 ${p95.toFixed(1).padStart(6)}${verdict}`);
    }
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function normalize(v: Float32Array): Float32Array {
  const length = Math.hypot(...v);
  return v.map((x) => x / length);
}
