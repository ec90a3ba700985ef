import { createRequire } from "node:module";
import path from "node:path";
import { HearthError } from "../../../shared/errors";
import { logError } from "../../errorLog";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";
import { pageFromBlocks, type ParsedDocument } from "../parsedDocument";
import { ocrPages } from "./ocr";
import { pdfPageText, textItems } from "./pdfText";

const nodeRequire = createRequire(import.meta.url);

/** A PDF opened by pdf.js (the legacy build runs under Node); encrypted and broken files get their own clear error. */
export async function openPdf(bytes: Uint8Array, name: string): Promise<PDFDocumentProxy> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const fonts = `${path.join(path.dirname(nodeRequire.resolve("pdfjs-dist/package.json")), "standard_fonts")}${path.sep}`;
  try {
    // A copy of its own, as a plain Uint8Array: pdf.js refuses Buffers and takes over the memory it is given.
    return await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, standardFontDataUrl: fonts, verbosity: 0 }).promise;
  } catch (error) {
    const kind = (error as { name?: string }).name;
    if (kind === "PasswordException") throw new HearthError("INVALID_INPUT", `${name} is encrypted with a password; Hearth cannot read it.`);
    throw new HearthError("INVALID_INPUT", `${name} is not a readable PDF: ${(error as Error).message}`);
  }
}

/**
 * A PDF's text layer, page by page, with pdf.js (the legacy build runs under Node). Lines become
 * a block each where the text says a line ends. A page with no text layer (a scan) is read by OCR
 * when `ocr` is on; one still without text is listed as such. Encrypted and broken files get their
 * own clear error.
 */
export async function parsePdf(bytes: Uint8Array, name: string, { ocr }: { ocr: boolean }): Promise<ParsedDocument> {
  const pdf = await openPdf(bytes, name);
  try {
    const pages = [];
    const pagesWithoutText: number[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const parsed = pdfPageText(number, textItems(content.items)).page;
      if (!parsed.text) pagesWithoutText.push(number);
      pages.push(parsed);
      page.cleanup();
    }
    if (!ocr || pagesWithoutText.length === 0) return { format: "pdf", pages, pagesWithoutText, pagesRead: [] };
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
