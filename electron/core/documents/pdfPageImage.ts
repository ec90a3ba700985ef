import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";
import type { PageImage } from "../../shared/documents";
import { HearthError } from "../../shared/errors";
import { openPdf } from "./parsers/openPdf";
import { pdfPageText, textItems } from "./parsers/pdfText";

/** Documents kept open between page views (a reviewer goes back and forth in a few). */
const KEEP_OPEN = 3;
const open = new Map<string, Promise<PDFDocumentProxy>>();

/**
 * A PDF page drawn by pdf.js (on this machine, to a PNG `width` pixels wide) with the rectangles
 * where the characters `start`..`end` of its stored text are, as shares of the page, so a viewer
 * can mark a cited passage on the page itself. The file must still be the one indexed (its
 * SHA-256): a moved or changed file is refused rather than marked in the wrong place.
 */
export async function pdfPageImage(file: string, sha256: string, page: number, span: { start: number; end: number } | null, width: number): Promise<PageImage> {
  const pdf = await openIndexed(file, sha256);
  if (page < 1 || page > pdf.numPages) throw new HearthError("NOT_FOUND", `${path.basename(file)} has no page ${page}.`);
  const pdfPage = await pdf.getPage(page);
  try {
    const base = pdfPage.getViewport({ scale: 1 });
    const viewport = pdfPage.getViewport({ scale: width / base.width });
    const { createCanvas } = await import("@napi-rs/canvas");
    const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    await pdfPage.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    const marks = span ? await markSpan(pdfPage, viewport, span) : [];
    return { png: canvas.toBuffer("image/png").toString("base64"), width: canvas.width, height: canvas.height, marks };
  } finally {
    pdfPage.cleanup();
  }
}

type Page = Awaited<ReturnType<PDFDocumentProxy["getPage"]>>;
type Viewport = ReturnType<Page["getViewport"]>;

/** The rectangles of the text items the span covers (a partly covered item, the covered share of its width). */
async function markSpan(page: Page, viewport: Viewport, span: { start: number; end: number }): Promise<PageImage["marks"]> {
  const { Util } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const items = textItems((await page.getTextContent()).items);
  const { spans } = pdfPageText(page.pageNumber, items);
  const marks: PageImage["marks"] = [];
  for (const placed of spans) {
    const from = Math.max(placed.start, span.start);
    const to = Math.min(placed.end, span.end);
    if (to <= from) continue;
    const item = items[placed.item]!;
    // As pdf.js's own text layer places an item: its matrix on the page's, the font's height above the baseline.
    const [a, b, c, d, x, y] = Util.transform(viewport.transform, item.transform) as number[];
    const height = Math.hypot(c!, d!);
    const itemWidth = item.width * viewport.scale || Math.hypot(a!, b!) * item.str.length * 0.5;
    const share = (n: number) => (n - placed.start) / (placed.end - placed.start);
    const left = x! + itemWidth * share(from);
    marks.push({
      left: left / viewport.width,
      top: (y! - height) / viewport.height,
      width: (itemWidth * (share(to) - share(from))) / viewport.width,
      height: (height * 1.2) / viewport.height,
    });
  }
  return marks;
}

/** The PDF, opened once and kept among the last few; checked against the hash it was indexed with. */
function openIndexed(file: string, sha256: string): Promise<PDFDocumentProxy> {
  const key = `${file}\u0000${sha256}`;
  let pdf = open.get(key);
  if (pdf) {
    open.delete(key);
    open.set(key, pdf);
    return pdf;
  }
  pdf = (async () => {
    const bytes = await fs.readFile(file).catch(() => {
      throw new HearthError("NOT_FOUND", `${path.basename(file)} is no longer at ${file}: the page cannot be drawn, only its indexed text shown.`);
    });
    if (createHash("sha256").update(bytes).digest("hex") !== sha256) {
      throw new HearthError(
        "NOT_FOUND",
        `${path.basename(file)} has changed since it was indexed: its pages are not drawn, so nothing is marked in the wrong place.`,
        {
          suggestion: "Add it again to index the new version.",
        },
      );
    }
    return openPdf(bytes, path.basename(file));
  })();
  pdf.catch(() => open.delete(key));
  open.set(key, pdf);
  for (const [oldest, document] of open) {
    if (open.size <= KEEP_OPEN) break;
    open.delete(oldest);
    void document.then(
      (d) => d.destroy(),
      () => undefined,
    );
  }
  return pdf;
}
