/**
 * Documents made by the tests, with known facts on known pages: a multi-page PDF (one page a
 * drawing with no text layer, as a scan is), a Word file with headings, a web page with
 * navigation around its article, Markdown and text; and the broken ones (corrupt, empty,
 * unsupported).
 */
import fs from "node:fs";
import path from "node:path";
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import { createRequire } from "node:module";
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";

const require = createRequire(import.meta.url);

/** A question, the document and page that answer it, and words the answer's passage holds. */
export interface Fact {
  question: string;
  file: string;
  page: number;
  quote: string;
}

export const FACTS: Fact[] = [
  { question: "When does the lease renew?", file: "lease.pdf", page: 2, quote: "renews automatically on the first of March" },
  { question: "What is the monthly rent?", file: "lease.pdf", page: 3, quote: "monthly rent is 1,850 euros" },
  { question: "Who pays for water damage repairs?", file: "lease.pdf", page: 5, quote: "water damage is repaired by the landlord" },
  { question: "How many days of notice does the tenant give?", file: "lease.pdf", page: 6, quote: "ninety days of written notice" },
  { question: "What is the penalty for late delivery?", file: "supply.docx", page: 1, quote: "late delivery costs the supplier two percent" },
  { question: "Which court settles disputes?", file: "supply.docx", page: 1, quote: "district court of Utrecht" },
  { question: "What does the warranty cover?", file: "policy.html", page: 1, quote: "warranty covers parts and labour for three years" },
  { question: "How often are backups tested?", file: "notes.md", page: 1, quote: "backups are restored and tested every quarter" },
  { question: "Where is the spare key kept?", file: "memo.txt", page: 1, quote: "spare key is kept in the blue cabinet" },
  { question: "When is the deposit returned?", file: "scanned.pdf", page: 2, quote: "deposit is returned within thirty days" },
];

const FILLER = [
  "This agreement is made between the parties named above and binds their successors.",
  "Each party shall act in good faith and keep the other informed of any change of address.",
  "Headings are for convenience only and do not change the meaning of the clauses below them.",
  "Notices are given in writing and delivered by hand, by post or by electronic mail.",
];

export async function makeDocumentFixtures(dir: string): Promise<void> {
  fs.mkdirSync(path.join(dir, "nested", "deeper"), { recursive: true });
  fs.mkdirSync(path.join(dir, ".hidden"), { recursive: true });
  fs.writeFileSync(path.join(dir, "lease.pdf"), await leasePdf());
  fs.writeFileSync(path.join(dir, "nested", "scanned.pdf"), await scannedPdf());
  fs.writeFileSync(path.join(dir, "nested", "supply.docx"), await supplyDocx());
  fs.writeFileSync(
    path.join(dir, "nested", "policy.html"),
    `<!doctype html><html><head><title>Warranty policy</title></head><body>
      <nav><a href="/">Home</a> <a href="/shop">Shop</a> <a href="/about">About us and our many partners</a></nav>
      <article><h1>Warranty policy</h1>
        <p>${FILLER[0]} ${FILLER[1]}</p>
        <h2>Coverage</h2><p>The warranty covers parts and labour for three years from the date of purchase.</p>
        <p>${FILLER[2]} ${FILLER[3]} ${FILLER[0]}</p>
      </article>
      <footer>Copyright, cookie settings, newsletter sign-up and social links</footer></body></html>`,
  );
  fs.writeFileSync(
    path.join(dir, "nested", "deeper", "notes.md"),
    `# Operations\n\n${FILLER[1]}\n\n## Backups\n\nAll backups are restored and tested every quarter by the on-call engineer.\n\n\`\`\`sh\n# not a heading\nrestic check\n\`\`\`\n\n${FILLER[2]}\n`,
  );
  fs.writeFileSync(path.join(dir, "memo.txt"), `Office memo\n\n${FILLER[3]}\n\nThe spare key is kept in the blue cabinet next to the printer.\n`);
  fs.writeFileSync(path.join(dir, ".hidden", "secret.txt"), "A hidden file is not indexed from a folder.");
  fs.writeFileSync(path.join(dir, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
}

/** The broken ones, each to be named on its own. */
export function makeBrokenFixtures(dir: string): { corrupt: string; empty: string; unsupported: string; missing: string } {
  fs.mkdirSync(dir, { recursive: true });
  const corrupt = path.join(dir, "corrupt.pdf");
  fs.writeFileSync(corrupt, "%PDF-1.7\nthis is not really a pdf at all\n%%EOF");
  const empty = path.join(dir, "empty.txt");
  fs.writeFileSync(empty, "");
  const unsupported = path.join(dir, "sheet.xyz");
  fs.writeFileSync(unsupported, "a,b,c");
  return { corrupt, empty, unsupported, missing: path.join(dir, "missing.pdf") };
}

/** Seven pages: a fact on pages 2, 3, 5 and 6, page 4 a drawing with no text layer. */
async function leasePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const facts = new Map(FACTS.filter((f) => f.file === "lease.pdf").map((f) => [f.page, f]));
  const sentences: Record<number, string> = {
    2: "The lease renews automatically on the first of March each year unless it is ended.",
    3: "The monthly rent is 1,850 euros, paid before the fifth day of each month.",
    5: "Any water damage is repaired by the landlord within fourteen days of the report.",
    6: "The tenant ends the lease with ninety days of written notice to the landlord.",
  };
  for (let number = 1; number <= 7; number++) {
    const page = pdf.addPage([595, 842]);
    if (number === 4) {
      page.drawRectangle({ x: 100, y: 300, width: 300, height: 200, color: rgb(0.6, 0.6, 0.6) });
      continue;
    }
    let y = 780;
    const line = (text: string) => {
      page.drawText(text, { x: 50, y, size: 11, font });
      y -= 16;
    };
    line(`Residential lease, page ${number}`);
    for (const filler of FILLER) line(filler);
    if (facts.has(number)) line(sentences[number]!);
    for (const filler of [...FILLER].reverse()) line(filler);
  }
  return pdf.save();
}

/**
 * A scan: page 1 has a text layer, page 2 is only a picture of a typed page (drawn by pdf.js from
 * a text page, as a scanner would make it), so its words are found through OCR alone.
 */
async function scannedPdf(): Promise<Uint8Array> {
  const typed = await PDFDocument.create();
  const font = await typed.embedFont(StandardFonts.Helvetica);
  const sheet = typed.addPage([595, 842]);
  sheet.drawText("Deposit", { x: 60, y: 760, size: 20, font });
  sheet.drawText("The deposit is returned within thirty days of the end of the lease.", { x: 60, y: 720, size: 14, font });
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const { createCanvas } = await import("@napi-rs/canvas");
  const fonts = `${path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "standard_fonts")}${path.sep}`;
  const source = await pdfjs.getDocument({ data: await typed.save(), standardFontDataUrl: fonts, isEvalSupported: false, verbosity: 0 }).promise;
  const page = await source.getPage(1);
  const viewport = page.getViewport({ scale: 2 });
  const canvas = createCanvas(viewport.width, viewport.height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
  await source.destroy();

  const scan = await PDFDocument.create();
  const cover = scan.addPage([595, 842]);
  cover.drawText("Scanned lease annex, cover page", { x: 50, y: 780, size: 12, font: await scan.embedFont(StandardFonts.Helvetica) });
  const image = await scan.embedPng(canvas.toBuffer("image/png"));
  scan.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  return scan.save();
}

async function supplyDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: "Supply agreement", heading: HeadingLevel.HEADING_1 }),
          new Paragraph(FILLER[0]!),
          new Paragraph({ text: "Delivery", heading: HeadingLevel.HEADING_2 }),
          new Paragraph("Each late delivery costs the supplier two percent of the order value per week."),
          new Paragraph(FILLER[1]!),
          new Paragraph({ text: "Disputes", heading: HeadingLevel.HEADING_2 }),
          new Paragraph("Any dispute is settled by the district court of Utrecht under Dutch law."),
          new Paragraph(FILLER[2]!),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
