import { PDFDocument, StandardFonts } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { readPdfPages } from "../../electron/core/documents/parsers/pdfPages";

/** A PDF long enough to be read by every worker, a known sentence on each page. */
async function longPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) pdf.addPage([300, 200]).drawText(`Clause ${n} of the lease.`, { x: 20, y: 150, size: 12, font });
  return pdf.save();
}

describe("reading a PDF's pages as they come", () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await longPdf(240);
  });

  it("hands every page over once, in batches, as the workers read them", async () => {
    const heard: number[] = [];
    const batches: number[] = [];
    const pages = await readPdfPages(bytes, "lease.pdf", (batch) => {
      batches.push(batch.length);
      heard.push(...batch.map((page) => page.page));
    });
    expect(pages.map((page) => page.text)).toEqual(Array.from({ length: 240 }, (_, i) => `Clause ${i + 1} of the lease.`));
    expect([...heard].sort((a, b) => a - b)).toEqual(pages.map((page) => page.page));
    expect(batches.length).toBeGreaterThan(1);
  });

  it("fails the read with the listener's own error, and reads the next file as usual", async () => {
    await expect(
      readPdfPages(bytes, "lease.pdf", () => {
        throw new Error("The disk is full.");
      }),
    ).rejects.toThrow("The disk is full.");
    expect(await readPdfPages(bytes, "lease.pdf")).toHaveLength(240);
  });
});
