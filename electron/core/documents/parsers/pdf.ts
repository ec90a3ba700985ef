import { createRequire } from "node:module";
import path from "node:path";
import { HearthError } from "../../../shared/errors";
import { pageFromBlocks, type ParsedDocument } from "../parsedDocument";

const nodeRequire = createRequire(import.meta.url);

/**
 * A PDF's text layer, page by page, with pdf.js (the legacy build runs under Node). Lines become
 * a block each where the text says a line ends; a page with no text at all is listed as such
 * (scanned pages need OCR). Encrypted and broken files get their own clear error.
 */
export async function parsePdf(bytes: Uint8Array, name: string): Promise<ParsedDocument> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const fonts = `${path.join(path.dirname(nodeRequire.resolve("pdfjs-dist/package.json")), "standard_fonts")}${path.sep}`;
  let pdf: Awaited<ReturnType<typeof pdfjs.getDocument>["promise"]>;
  try {
    // A copy of its own, as a plain Uint8Array: pdf.js refuses Buffers and takes over the memory it is given.
    pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, standardFontDataUrl: fonts, verbosity: 0 }).promise;
  } catch (error) {
    const kind = (error as { name?: string }).name;
    if (kind === "PasswordException") throw new HearthError("INVALID_INPUT", `${name} is encrypted with a password; Hearth cannot read it.`);
    throw new HearthError("INVALID_INPUT", `${name} is not a readable PDF: ${(error as Error).message}`);
  }
  try {
    const pages = [];
    const pagesWithoutText: number[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const lines: string[] = [""];
      for (const item of content.items) {
        if (!("str" in item)) continue;
        lines[lines.length - 1] += item.str;
        if (item.hasEOL) lines.push("");
      }
      const parsed = pageFromBlocks(
        number,
        lines.map((text) => ({ text, heading: null })),
        "\n",
      );
      if (!parsed.text) pagesWithoutText.push(number);
      pages.push(parsed);
      page.cleanup();
    }
    return { format: "pdf", pages, pagesWithoutText };
  } finally {
    await pdf.destroy();
  }
}
