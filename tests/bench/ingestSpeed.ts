/**
 * Reading a long PDF: parse (pdf.js, in worker threads), chunk and full-text index a 2,000-page
 * PDF (no embedding), against poppler's `pdftotext` extracting the same file's text alone, in
 * interleaved rounds. Target: no slower than pdftotext. Needs poppler-utils (`apt-get install
 * poppler-utils`); the PDF is made once (pdf-lib) and kept in the temp folder.
 * `BENCH_PAGES`, `BENCH_REPS` adjust it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { chunkPage } from "../../electron/core/documents/chunkText";
import { DocumentStore } from "../../electron/core/documents/DocumentStore";
import { parseDocument } from "../../electron/core/documents/parseDocument";
import { openDatabase } from "../../electron/core/store/openDatabase";
import { zipfWords } from "./benchSupport";

const PAGES = Number(process.env.BENCH_PAGES ?? 2000);
const REPS = Number(process.env.BENCH_REPS ?? 3);

async function longPdf(): Promise<string> {
  const file = path.join(os.tmpdir(), `hearth-bench-${PAGES}-pages.pdf`);
  if (fs.existsSync(file)) return file;
  const { word } = zipfWords(3);
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < PAGES; p++) {
    const page = pdf.addPage([595, 842]);
    for (let line = 0; line < 48; line++) page.drawText(Array.from({ length: 14 }, word).join(" "), { x: 50, y: 790 - line * 15, size: 10, font });
  }
  fs.writeFileSync(file, await pdf.save());
  return file;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function ingestSpeed(): Promise<void> {
  if (spawnSync("pdftotext", ["-v"]).error) {
    console.log("\ningestSpeed: skipped, pdftotext is not installed (apt-get install poppler-utils)");
    return;
  }
  const file = await longPdf();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-ingest-"));
  try {
    const store = new DocumentStore(openDatabase(path.join(dir, "hearth.db")));
    const collection = store.createCollection("Bench");
    const poppler: number[] = [];
    const hearth: { total: number; parse: number; chunk: number; index: number }[] = [];
    let chunks = 0;
    for (let rep = 0; rep < REPS; rep++) {
      let t = performance.now();
      const out = spawnSync("pdftotext", [file, path.join(dir, "out.txt")]);
      if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
      poppler.push(performance.now() - t);

      t = performance.now();
      const bytes = fs.readFileSync(file);
      const parsed = await parseDocument(file, bytes, { ocr: false });
      const parsedAt = performance.now();
      const pieces = parsed.pages.flatMap((page) => chunkPage(page));
      const chunkedAt = performance.now();
      store.saveDocument(collection.id, {
        path: file,
        name: path.basename(file),
        sha256: String(rep),
        bytes: bytes.byteLength,
        parsed,
        chunks: pieces,
        vectors: pieces.map(() => new Float32Array(0)),
      });
      const done = performance.now();
      hearth.push({ total: done - t, parse: parsedAt - t, chunk: chunkedAt - parsedAt, index: done - chunkedAt });
      chunks = pieces.length;
    }
    const ours = median(hearth.map((h) => h.total));
    const theirs = median(poppler);
    console.log(
      `\ningestSpeed: a ${PAGES.toLocaleString("en-US")}-page PDF (${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${chunks.toLocaleString("en-US")} passages), ${REPS} interleaved rounds, medians, ${os.availableParallelism()} cores`,
    );
    console.log(`  pdftotext (text alone)                 ${(theirs / 1000).toFixed(2)} s`);
    console.log(
      `  Hearth parse + chunk + full-text index ${(ours / 1000).toFixed(2)} s  (parse ${(median(hearth.map((h) => h.parse)) / 1000).toFixed(2)}, chunk ${(median(hearth.map((h) => h.chunk)) / 1000).toFixed(2)}, index ${(median(hearth.map((h) => h.index)) / 1000).toFixed(2)})`,
    );
    console.log(`  ratio ${(ours / theirs).toFixed(2)}x  ${ours <= theirs ? "met" : "NOT met"} (target: no slower than pdftotext)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
