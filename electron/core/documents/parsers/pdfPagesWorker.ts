/**
 * A worker thread that reads the text of a range of a PDF's pages (pdf.js), so a long PDF is read
 * on every core and the process that serves the app stays free. Started by pdfPages.ts.
 */
import { parentPort } from "node:worker_threads";
import type { PageText } from "../parsedDocument";
import { openPdf } from "./openPdf";
import { pdfPageText, textItems } from "./pdfText";

export interface PagesTask {
  id: number;
  bytes: Uint8Array;
  name: string;
  from: number;
  to: number;
}

export type PagesReply = { id: number; pages: PageText[] } | { id: number; error: { name: string; message: string } };

parentPort?.on("message", (task: PagesTask) => {
  void readPages(task).then(
    (pages) => parentPort!.postMessage({ id: task.id, pages } satisfies PagesReply),
    (error: Error) => parentPort!.postMessage({ id: task.id, error: { name: error.name, message: error.message } } satisfies PagesReply),
  );
});

async function readPages({ bytes, name, from, to }: PagesTask): Promise<PageText[]> {
  const pdf = await openPdf(bytes, name);
  try {
    const pages: PageText[] = [];
    for (let number = from; number <= to; number++) {
      const page = await pdf.getPage(number);
      pages.push(pdfPageText(number, textItems((await page.getTextContent()).items)).page);
      page.cleanup();
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}
