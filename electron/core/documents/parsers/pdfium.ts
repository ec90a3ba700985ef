import fs from "node:fs";
import { createRequire } from "node:module";
import { encryptedPdf, unreadablePdf } from "./pdfErrors";

const nodeRequire = createRequire(import.meta.url);

/** The part of PDFium's C API Hearth calls (Emscripten's names: an underscore, then the C name). */
interface PdfiumModule {
  _FPDF_InitLibrary(): void;
  _FPDF_LoadMemDocument(data: number, size: number, password: number): number;
  _FPDF_GetLastError(): number;
  _FPDF_GetPageCount(doc: number): number;
  _FPDF_LoadPage(doc: number, index: number): number;
  _FPDF_ClosePage(page: number): void;
  _FPDF_CloseDocument(doc: number): void;
  _FPDFText_LoadPage(page: number): number;
  _FPDFText_ClosePage(textPage: number): void;
  _FPDFText_CountChars(textPage: number): number;
  _FPDFText_GetText(textPage: number, start: number, count: number, buffer: number): number;
  _FPDFText_GetUnicode(textPage: number, index: number): number;
  _FPDFText_GetLooseCharBox(textPage: number, index: number, rect: number): number;
  wasmExports: { malloc(size: number): number; free(pointer: number): void };
  HEAPU8: Uint8Array;
}

/**
 * PDFium, the PDF engine of Chromium, compiled to WebAssembly (@hyzyla/pdfium's build, ~7% faster
 * here than @embedpdf/pdfium's): Hearth reads PDF text with it (~2 ms a page here against pdf.js's
 * ~5), and finds where a passage's characters stand on a page. pdf.js still draws pages. One
 * instance a thread, made on first use.
 */
let instance: Promise<PdfiumModule> | null = null;

function pdfium(): Promise<PdfiumModule> {
  instance ??= (async () => {
    const { PDFiumModule } = await import("@hyzyla/pdfium");
    // Packaged, the file is unpacked beside the archive, where a worker thread can read it.
    const file = nodeRequire.resolve("@hyzyla/pdfium/pdfium.wasm").replace(/app\.asar([\\/])/, "app.asar.unpacked$1");
    const wasm = fs.readFileSync(file);
    const module = (await PDFiumModule({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) })) as unknown as PdfiumModule;
    module._FPDF_InitLibrary();
    return module;
  })();
  return instance;
}

const utf16 = new TextDecoder("utf-16le");

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
  const data = m.wasmExports.malloc(bytes.byteLength);
  m.HEAPU8.set(bytes, data);
  const doc = m._FPDF_LoadMemDocument(data, bytes.byteLength, 0);
  if (!doc) {
    const code = m._FPDF_GetLastError();
    m.wasmExports.free(data);
    if (code === PASSWORD || code === SECURITY) throw encryptedPdf(name);
    throw unreadablePdf(name, `${code === 3 ? "its structure is damaged or it is not a PDF" : `PDFium error ${code}`}.`);
  }
  const pageCount = m._FPDF_GetPageCount(doc);
  if (pageCount < 1) {
    m._FPDF_CloseDocument(doc);
    m.wasmExports.free(data);
    throw unreadablePdf(name, "it has no pages.");
  }
  let closed = false;

  /** Runs `read` on a page's text layer, closing both after. */
  const withTextPage = <T>(page: number, read: (textPage: number) => T): T => {
    if (closed) throw new Error("The PDF is closed");
    const handle = m._FPDF_LoadPage(doc, page - 1);
    if (!handle) throw unreadablePdf(name, `page ${page} cannot be read.`);
    const textPage = m._FPDFText_LoadPage(handle);
    try {
      return read(textPage);
    } finally {
      if (textPage) m._FPDFText_ClosePage(textPage);
      m._FPDF_ClosePage(handle);
    }
  };

  return {
    pageCount,
    pageText: (page) =>
      withTextPage(page, (textPage) => {
        if (!textPage) return { text: "", charOf: null };
        const count = m._FPDFText_CountChars(textPage);
        if (count <= 0) return { text: "", charOf: null };
        const buffer = m.wasmExports.malloc((count + 1) * 2);
        try {
          // What it wrote, the closing NUL left out.
          const units = m._FPDFText_GetText(textPage, 0, count, buffer) - 1;
          const text = utf16.decode(m.HEAPU8.subarray(buffer, buffer + Math.max(0, units) * 2));
          if (text.length === count) return { text, charOf: null };
        } finally {
          m.wasmExports.free(buffer);
        }
        // Characters past the Basic Multilingual Plane take two units: read them one by one.
        let text = "";
        const charOf: number[] = [];
        for (let index = 0; index < count; index++) {
          const unit = String.fromCodePoint(m._FPDFText_GetUnicode(textPage, index) || 0xfffd);
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
        const rect = m.wasmExports.malloc(16);
        try {
          return chars.map((index) => {
            if (!m._FPDFText_GetLooseCharBox(textPage, index, rect)) return { left: 0, right: 0, bottom: 0, top: 0 };
            const [left, top, right, bottom] = new Float32Array(m.HEAPU8.buffer, rect, 4);
            return { left: left!, right: right!, bottom: bottom!, top: top! };
          });
        } finally {
          m.wasmExports.free(rect);
        }
      }),
    close: () => {
      if (closed) return;
      closed = true;
      m._FPDF_CloseDocument(doc);
      m.wasmExports.free(data);
    },
  };
}
