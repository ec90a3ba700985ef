import { logError } from "../../errorLog";
import { pageFromBlocks, type ParsedDocument } from "../parsedDocument";
import { ocrPages } from "./ocr";
import { openPdf } from "./openPdf";
import { readPdfPages } from "./pdfPages";

/**
 * A PDF's text layer, page by page, read by PDFium in worker threads (a long PDF on every core).
 * Lines become a block each. A page with no text layer (a scan) is drawn by pdf.js and read by OCR
 * when `ocr` is on; one still without text is listed as such. Encrypted and broken files get their
 * own clear error.
 */
export async function parsePdf(bytes: Uint8Array, name: string, { ocr }: { ocr: boolean }): Promise<ParsedDocument> {
  const pages = await readPdfPages(bytes, name);
  const pagesWithoutText = pages.filter((page) => !page.text).map((page) => page.page);
  if (!ocr || pagesWithoutText.length === 0) return { format: "pdf", pages, pagesWithoutText, pagesRead: [] };
  const pdf = await openPdf(bytes, name);
  try {
    const read = await ocrPages(pdf, pagesWithoutText).catch((error: unknown) => {
      logError(error);
      return new Map<number, string>();
    });
    for (const [number, text] of read) {
      pages[number - 1] = pageFromBlocks(
        number,
        text.split("\n").map((line) => ({ text: line, heading: null })),
        "\n",
      );
    }
    return { format: "pdf", pages, pagesWithoutText: pagesWithoutText.filter((n) => !read.has(n)), pagesRead: [...read.keys()] };
  } finally {
    await pdf.destroy();
  }
}
