/**
 * A worker thread that reads the text of its share of a PDF's pages (PDFium), so a long PDF is
 * read on every core and the process that serves the app stays free. Started by pdfPages.ts.
 */
import { parentPort } from "node:worker_threads";
import type { PageText } from "../parsedDocument";
import { openPdfium } from "./pdfium";
import { pdfPageText } from "./pdfText";

/** Part `part` of `parts` of the PDF's pages: each worker opens the file and finds its own range. */
export interface PagesTask {
  id: number;
  bytes: Uint8Array;
  name: string;
  part: number;
  parts: number;
}

/** Pages as they are read (in order, a batch at a time), then how many the PDF has, or why it could not be read. */
export type PagesReply = { id: number; pages: PageText[] } | { id: number; pageCount: number } | { id: number; error: { name: string; message: string } };

/** Pages a worker reads at least: below this, more workers cost more to start than they save. */
const PAGES_PER_WORKER = 50;
/** Pages sent back at a time: the thread that asked takes them in while the rest are read. */
const BATCH = 100;

/** The pages cut into ranges (first and last page), one a worker: at most `workers`, each of PAGES_PER_WORKER pages or more. */
export function pageRanges(pageCount: number, workers: number): (readonly [number, number])[] {
  const parts = Math.max(1, Math.min(workers, Math.floor(pageCount / PAGES_PER_WORKER)));
  const size = Math.ceil(pageCount / parts);
  return Array.from({ length: parts }, (_, i) => [i * size + 1, Math.min(pageCount, (i + 1) * size)] as const).filter(([from, to]) => from <= to);
}

parentPort?.on("message", (task: PagesTask) => {
  void readPages(task, (pages) => parentPort!.postMessage({ id: task.id, pages } satisfies PagesReply)).then(
    (pageCount) => parentPort!.postMessage({ id: task.id, pageCount } satisfies PagesReply),
    (error: Error) => parentPort!.postMessage({ id: task.id, error: { name: error.name, message: error.message } } satisfies PagesReply),
  );
});

async function readPages({ bytes, name, part, parts }: PagesTask, send: (pages: PageText[]) => void): Promise<number> {
  const pdf = await openPdfium(bytes, name);
  try {
    const range = pageRanges(pdf.pageCount, parts)[part];
    let batch: PageText[] = [];
    for (let number = range?.[0] ?? 1; range && number <= range[1]; number++) {
      batch.push(pdfPageText(number, pdf.pageText(number).text));
      if (batch.length === BATCH) {
        send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) send(batch);
    return pdf.pageCount;
  } finally {
    pdf.close();
  }
}
