import fs from "node:fs";
import { createRequire } from "node:module";
import type { WrappedPdfiumModule } from "@embedpdf/pdfium";
import { encryptedPdf, unreadablePdf } from "./pdfErrors";

const nodeRequire = createRequire(import.meta.url);

/**
 * PDFium, the PDF engine of Chromium, compiled to WebAssembly: Hearth reads PDF text with it
 * (~1.5 ms a page here against pdf.js's ~5), and finds where a passage's characters stand on a
 * page. pdf.js still draws pages. One instance a thread, made on first use.
 */
let instance: Promise<WrappedPdfiumModule> | null = null;

function pdfium(): Promise<WrappedPdfiumModule> {
  instance ??= (async () => {
    const { init } = await import("@embedpdf/pdfium");
    // Packaged, the file is unpacked beside the archive, where a worker thread can read it.
    const file = nodeRequire.resolve("@embedpdf/pdfium/pdfium.wasm").replace(/app\.asar([\\/])/, "app.asar.unpacked$1");
    const module = await init({ wasmBinary: fs.readFileSync(file) });
    module.PDFiumExt_Init();
    return module;
  })();
  return instance;
}

/** A page's text as PDFium lays it out: lines end in "\r\n", spaces it inferred between words included. */
export interface RawPageText {
  text: string;
  /** PDFium's character index of each UTF-16 unit of `text` (null: the same index). */
  charOf: Int32Array | null;
}

/** A character's box in the page's own coordinates (PDF points, origin at the bottom left). */
export interface CharBox {
  left: number;
  right: number;
  bottom: number;
  top: number;
}

export interface PdfiumDocument {
  readonly pageCount: number;
  /** A page's text (1-based page). */
  pageText(page: number): RawPageText;
  /** The boxes of some of a page's characters, by PDFium's character index (1-based page). */
  charBoxes(page: number, chars: readonly number[]): CharBox[];
  close(): void;
}

// FPDF_GetLastError's codes.
const PASSWORD = 4;
const SECURITY = 5;

/** Opens a PDF from its bytes; encrypted and broken files get their own clear error. */
export async function openPdfium(bytes: Uint8Array, name: string): Promise<PdfiumDocument> {
  const m = await pdfium();
  const data = m.pdfium.wasmExports.malloc(bytes.byteLength);
  // Emscripten's view of the module's memory (its type is not in the package's declarations).
  (m.pdfium as unknown as { HEAPU8: Uint8Array }).HEAPU8.set(bytes, data);
  const doc = m.FPDF_LoadMemDocument(data, bytes.byteLength, "");
  if (!doc) {
    const code = m.FPDF_GetLastError();
    m.pdfium.wasmExports.free(data);
    if (code === PASSWORD || code === SECURITY) throw encryptedPdf(name);
    throw unreadablePdf(name, `${code === 3 ? "its structure is damaged or it is not a PDF" : `PDFium error ${code}`}.`);
  }
  const pageCount = m.FPDF_GetPageCount(doc);
  if (pageCount < 1) {
    m.FPDF_CloseDocument(doc);
    m.pdfium.wasmExports.free(data);
    throw unreadablePdf(name, "it has no pages.");
  }
  let closed = false;

  /** Runs `read` on a page's text layer, closing both after. */
  const withTextPage = <T>(page: number, read: (textPage: number) => T): T => {
    if (closed) throw new Error("The PDF is closed");
    const handle = m.FPDF_LoadPage(doc, page - 1);
    if (!handle) throw unreadablePdf(name, `page ${page} cannot be read.`);
    const textPage = m.FPDFText_LoadPage(handle);
    try {
      return read(textPage);
    } finally {
      if (textPage) m.FPDFText_ClosePage(textPage);
      m.FPDF_ClosePage(handle);
    }
  };

  return {
    pageCount,
    pageText: (page) =>
      withTextPage(page, (textPage) => {
        if (!textPage) return { text: "", charOf: null };
        const count = m.FPDFText_CountChars(textPage);
        if (count <= 0) return { text: "", charOf: null };
        const buffer = m.pdfium.wasmExports.malloc((count + 1) * 2);
        try {
          m.FPDFText_GetText(textPage, 0, count, buffer);
          const text = m.pdfium.UTF16ToString(buffer);
          if (text.length === count) return { text, charOf: null };
        } finally {
          m.pdfium.wasmExports.free(buffer);
        }
        // Characters past the Basic Multilingual Plane take two units: read them one by one.
        let text = "";
        const charOf: number[] = [];
        for (let index = 0; index < count; index++) {
          const unit = String.fromCodePoint(m.FPDFText_GetUnicode(textPage, index) || 0xfffd);
          text += unit;
          for (let k = 0; k < unit.length; k++) charOf.push(index);
        }
        return { text, charOf: Int32Array.from(charOf) };
      }),
    charBoxes: (page, chars) =>
      withTextPage(page, (textPage) => {
        if (!textPage) return [];
        // An FS_RECTF: left, top, right, bottom as 32-bit floats. The loose box has the font's
        // whole height, so a marked line is as tall as its text whatever its letters.
        const rect = m.pdfium.wasmExports.malloc(16);
        try {
          return chars.map((index) => {
            if (!m.FPDFText_GetLooseCharBox(textPage, index, rect)) return { left: 0, right: 0, bottom: 0, top: 0 };
            const [left, top, right, bottom] = [0, 4, 8, 12].map((offset) => m.pdfium.getValue(rect + offset, "float"));
            return { left: left!, right: right!, bottom: bottom!, top: top! };
          });
        } finally {
          m.pdfium.wasmExports.free(rect);
        }
      }),
    close: () => {
      if (closed) return;
      closed = true;
      m.FPDF_CloseDocument(doc);
      m.pdfium.wasmExports.free(data);
    },
  };
}
