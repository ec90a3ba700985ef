import { logError } from "../../errorLog";
import { type PageText, pageFromBlocks, type ParsedDocument } from "../parsedDocument";
import { ocrPages } from "./ocr";
import { openPdf } from "./openPdf";
import { readPdfPages } from "./pdfPages";

/**
 * A PDF's text layer, page by page, read by PDFium in worker threads (a long PDF on every core).
 * Lines become a block each. A page with no text layer (a scan) is drawn by pdf.js and read by OCR
 * when `ocr` is on; one still without text is listed as such. Encrypted and broken files get their
 * own clear error. `onPages` hears pages as they are read, and pages read by OCR again after.
 */
export async function parsePdf(
  bytes: Uint8Array,
  name: string,
  { ocr, onPages }: { ocr: boolean; onPages?: (pages: PageText[]) => void },
): Promise<ParsedDocument> {
  const pages = await readPdfPages(bytes, name, onPages);
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
    if (read.size > 0) onPages?.([...read.keys()].map((number) => pages[number - 1]!));
    return { format: "pdf", pages, pagesWithoutText: pagesWithoutText.filter((n) => !read.has(n)), pagesRead: [...read.keys()] };
  } finally {
    await pdf.destroy();
  }
}
