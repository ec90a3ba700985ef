import path from "node:path";
import { HearthError } from "../../shared/errors";
import type { DocumentFormat, PageText, ParsedDocument } from "./parsedDocument";

const FORMATS: Record<string, DocumentFormat> = {
  ".pdf": "pdf",
  ".docx": "docx",
  ".html": "html",
  ".htm": "html",
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
};

/** The format Hearth reads a file as, by its extension; null for one it does not read. */
export function formatOf(file: string): DocumentFormat | null {
  return FORMATS[path.extname(file).toLowerCase()] ?? null;
}

export interface ParseOptions {
  ocr: boolean;
  /**
   * Hears the pages as they are read, so they can be stored meanwhile: a PDF's in batches in no set
   * order (a scan's page again once OCR has read it), other formats' all at once at the end.
   */
  onPages?(pages: PageText[]): void;
}

/**
 * Reads a document's text. Unsupported, empty, encrypted and broken files each throw one clear
 * INVALID_INPUT error naming the file; a document that parses but holds no text says so too.
 */
export async function parseDocument(file: string, bytes: Uint8Array, options: ParseOptions = { ocr: true }): Promise<ParsedDocument> {
  const name = path.basename(file);
  const format = formatOf(file);
  if (!format) {
    throw new HearthError(
      "INVALID_INPUT",
      `${name}: Hearth reads PDF, Word (.docx), HTML, Markdown and text files, not ${path.extname(file) || "files without an extension"}.`,
    );
  }
  if (bytes.byteLength === 0) throw new HearthError("INVALID_INPUT", `${name} is empty.`);
  const parsed = await parseAs(format, bytes, name, options);
  if (parsed.pages.every((page) => !page.text) && parsed.pagesWithoutText.length === 0) {
    throw new HearthError("INVALID_INPUT", `${name} holds no text.`);
  }
  if (format !== "pdf") options.onPages?.(parsed.pages);
  return parsed;
}

async function parseAs(format: DocumentFormat, bytes: Uint8Array, name: string, options: ParseOptions): Promise<ParsedDocument> {
  switch (format) {
    case "pdf":
      return (await import("./parsers/pdf")).parsePdf(bytes, name, options);
    case "docx": {
      const mammoth = await import("mammoth");
      let html: string;
      try {
        ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
      } catch (error) {
        throw new HearthError("INVALID_INPUT", `${name} is not a readable Word file: ${(error as Error).message}`);
      }
      return (await import("./parsers/markup")).blocksFromWordHtml(html);
    }
    case "html":
      return (await import("./parsers/markup")).parseHtml(decode(bytes, name));
    case "markdown":
      return (await import("./parsers/plainText")).parseMarkdown(decode(bytes, name));
    case "text":
      return (await import("./parsers/plainText")).parseText(decode(bytes, name));
  }
}

/** UTF-8 text; a file that is not (a binary renamed .txt) is refused rather than indexed as garbage. */
function decode(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new HearthError("INVALID_INPUT", `${name} is not UTF-8 text.`);
  }
}
