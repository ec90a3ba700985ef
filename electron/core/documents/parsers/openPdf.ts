import { createRequire } from "node:module";
import path from "node:path";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";
import { encryptedPdf, unreadablePdf } from "./pdfErrors";

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
    if (kind === "PasswordException") throw encryptedPdf(name);
    throw unreadablePdf(name, (error as Error).message);
  }
}
