import { type PageText, pageFromBlocks } from "../parsedDocument";

/** A page's raw text cut into its lines (PDFium ends each with "\r\n"), each with where it starts. */
function rawLines(raw: string): { text: string; start: number }[] {
  const lines: { text: string; start: number }[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let found = breaks.exec(raw); found; found = breaks.exec(raw)) {
    lines.push({ text: raw.slice(start, found.index), start });
    start = found.index + found[0].length;
  }
  lines.push({ text: raw.slice(start), start });
  return lines;
}

/**
 * A PDF page's text as it is indexed, from PDFium's: a line a block, spaces collapsed, lines
 * trimmed, empty ones skipped. The one place the text is assembled: parsing and the page view
 * both use it, so their offsets agree.
 */
export function pdfPageText(page: number, raw: string): PageText {
  return pageFromBlocks(
    page,
    rawLines(raw).map((line) => ({ text: line.text, heading: null })),
    "\n",
  );
}

/**
 * Where the characters `start`..`end` (end exclusive) of a page's stored text are in PDFium's raw
 * text: their raw offsets, a list a line (blanks left out), so a viewer can mark each line's part.
 */
export function rawSpan(raw: string, span: { start: number; end: number }): number[][] {
  const stored = pdfPageText(0, raw);
  const lines: number[][] = [];
  let block = 0;
  for (const line of rawLines(raw)) {
    const cleaned = cleanOffsets(line.text);
    if (cleaned.length === 0) continue;
    const at = stored.blocks[block++]!.start;
    const units: number[] = [];
    for (let i = 0; i < line.text.length; i++) {
      const offset = at + cleaned.map[i]!;
      if (offset >= span.start && offset < span.end && !/\s/.test(line.text[i]!)) units.push(line.start + i);
    }
    if (units.length > 0) lines.push(units);
  }
  return lines;
}

const blank = (ch: string | undefined) => ch === " " || ch === "\t";

/**
 * Where each character of a line lands once it is cleaned as pageFromBlocks cleans it (runs of
 * spaces and tabs made one space, then trimmed): `map[i]` for each raw offset i (and the end).
 */
function cleanOffsets(raw: string): { length: number; map: number[] } {
  const collapsedAt: number[] = [];
  let collapsed = "";
  for (let i = 0; i < raw.length; i++) {
    if (blank(raw[i]) && i > 0 && blank(raw[i - 1])) {
      collapsedAt.push(collapsed.length - 1);
      continue;
    }
    collapsedAt.push(collapsed.length);
    collapsed += blank(raw[i]) ? " " : raw[i];
  }
  collapsedAt.push(collapsed.length);
  const cleaned = collapsed.trim();
  const lead = collapsed.length - collapsed.trimStart().length;
  return { length: cleaned.length, map: collapsedAt.map((at) => Math.min(Math.max(at - lead, 0), cleaned.length)) };
}
