import { createRequire } from "node:module";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";

const nodeRequire = createRequire(import.meta.url);

/** Rendering scale for OCR: ~150 dpi for a letter or A4 page, where Tesseract reads body text well. */
const RENDER_SCALE = 2;

/**
 * The text of PDF pages that have no text layer (scans), read by Tesseract from the page drawn
 * as an image, on this machine (the English data ships as an npm package: nothing is fetched).
 * Pages it cannot read are left out of the answer; a failure of the engine itself leaves them all
 * without text rather than failing the document.
 */
export async function ocrPages(pdf: PDFDocumentProxy, pages: number[]): Promise<Map<number, string>> {
  const read = new Map<number, string>();
  if (pages.length === 0) return read;
  const [{ createCanvas }, { createWorker }] = await Promise.all([import("@napi-rs/canvas"), import("tesseract.js")]);
  const eng = nodeRequire("@tesseract.js-data/eng") as { langPath: string };
  const worker = await createWorker("eng", 1, { langPath: eng.langPath, gzip: true, cacheMethod: "none" });
  try {
    for (const number of pages) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: RENDER_SCALE });
      const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
      const context = canvas.getContext("2d");
      // A scan's white paper: a transparent page reads as black to Tesseract.
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
      const { data } = await worker.recognize(canvas.toBuffer("image/png"));
      const text = data.text.trim();
      if (text) read.set(number, text);
      page.cleanup();
    }
  } finally {
    await worker.terminate();
  }
  return read;
}
