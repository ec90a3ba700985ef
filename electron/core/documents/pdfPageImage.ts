import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";
import type { PageImage } from "../../shared/documents";
import { HearthError } from "../../shared/errors";
import { openPdf } from "./parsers/openPdf";
import { type CharBox, openPdfium, type PdfiumDocument } from "./parsers/pdfium";
import { rawSpan } from "./parsers/pdfText";

/** Documents kept open between page views (a reviewer goes back and forth in a few). */
const KEEP_OPEN = 3;
/** A PDF as pdf.js draws it and as PDFium reads its text (where the indexed characters stand). */
interface OpenPdf {
  drawn: PDFDocumentProxy;
  text: PdfiumDocument;
}
const open = new Map<string, Promise<OpenPdf>>();

/**
 * A PDF page drawn by pdf.js (on this machine, to a PNG `width` pixels wide) with the rectangles
 * where the characters `start`..`end` of its stored text are, as shares of the page, so a viewer
 * can mark a cited passage on the page itself. The file must still be the one indexed (its
 * SHA-256): a moved or changed file is refused rather than marked in the wrong place.
 */
export async function pdfPageImage(file: string, sha256: string, page: number, span: { start: number; end: number } | null, width: number): Promise<PageImage> {
  const pdf = await openIndexed(file, sha256);
  if (page < 1 || page > pdf.drawn.numPages) throw new HearthError("NOT_FOUND", `${path.basename(file)} has no page ${page}.`);
  const pdfPage = await pdf.drawn.getPage(page);
  try {
    const base = pdfPage.getViewport({ scale: 1 });
    const viewport = pdfPage.getViewport({ scale: width / base.width });
    const { createCanvas } = await import("@napi-rs/canvas");
    const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    await pdfPage.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    const marks = span ? markSpan(pdf.text, page, viewport, span) : [];
    return { png: canvas.toBuffer("image/png").toString("base64"), width: canvas.width, height: canvas.height, marks };
  } finally {
    pdfPage.cleanup();
  }
}

type Page = Awaited<ReturnType<PDFDocumentProxy["getPage"]>>;
type Viewport = ReturnType<Page["getViewport"]>;

/**
 * The rectangles a span of the page's stored text covers: its characters' boxes (PDFium's, with
 * the font's full height) joined along each line, a new one where a line jumps (another column).
 */
function markSpan(pdf: PdfiumDocument, page: number, viewport: Viewport, span: { start: number; end: number }): PageImage["marks"] {
  const raw = pdf.pageText(page);
  const marks: PageImage["marks"] = [];
  const lines = rawSpan(raw.text, span);
  // Every line's boxes in one read of the page, then cut back into lines.
  const boxes = pdf.charBoxes(
    page,
    lines.flat().map((unit) => raw.charOf?.[unit] ?? unit),
  );
  let at = 0;
  for (const units of lines) {
    const line = boxes.slice(at, at + units.length);
    at += units.length;
    for (const run of joinedAlongLine(line)) {
      const [x1, y1, x2, y2] = viewport.convertToViewportRectangle([run.left, run.bottom, run.right, run.top]) as number[];
      marks.push({
        left: Math.min(x1!, x2!) / viewport.width,
        top: Math.min(y1!, y2!) / viewport.height,
        width: Math.abs(x2! - x1!) / viewport.width,
        height: Math.abs(y2! - y1!) / viewport.height,
      });
    }
  }
  return marks;
}

/** Character boxes of one line joined into runs: a gap wider than two of its heights, or a step back, starts another. */
export function joinedAlongLine(boxes: readonly CharBox[]): CharBox[] {
  const runs: CharBox[] = [];
  for (const box of boxes) {
    if (box.right <= box.left || box.top <= box.bottom) continue;
    const run = runs[runs.length - 1];
    const height = run ? run.top - run.bottom : 0;
    if (run && box.left >= run.left && box.left - run.right <= 2 * height) {
      run.right = Math.max(run.right, box.right);
      run.bottom = Math.min(run.bottom, box.bottom);
      run.top = Math.max(run.top, box.top);
    } else runs.push({ ...box });
  }
  return runs;
}

/** The PDF, opened once and kept among the last few; checked against the hash it was indexed with. */
function openIndexed(file: string, sha256: string): Promise<OpenPdf> {
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
    const text = await openPdfium(bytes, path.basename(file));
    return {
      drawn: await openPdf(bytes, path.basename(file)).catch((error: unknown) => {
        text.close();
        throw error;
      }),
      text,
    };
  })();
  pdf.catch(() => open.delete(key));
  open.set(key, pdf);
  for (const [oldest, document] of open) {
    if (open.size <= KEEP_OPEN) break;
    open.delete(oldest);
    void document.then(
      (d) => {
        d.text.close();
        return d.drawn.destroy();
      },
      () => undefined,
    );
  }
  return pdf;
}
