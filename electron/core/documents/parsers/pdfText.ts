import { type PageText, pageFromBlocks } from "../parsedDocument";

/** What Hearth needs of a pdf.js text item: its string, whether a line ends after it, and where it is drawn. */
export interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  width: number;
  transform: number[];
}

/** The text items of pdf.js's text content (it also lists marked-content markers, which hold no text). */
export function textItems(items: readonly object[]): PdfTextItem[] {
  return items.filter((item): item is PdfTextItem => "str" in item);
}

/** Where a text item's characters landed in its page's stored text (end exclusive). */
export interface ItemSpan {
  item: number;
  start: number;
  end: number;
}

/**
 * A PDF page's text from its text items, as it is indexed (a line a block: what pdf.js says ends
 * a line ends one), and where each item's characters are in that text, so a passage's span can be
 * found on the drawn page again. The one place the text is assembled: parsing and the page view
 * both use it, so their offsets agree.
 */
export function pdfPageText(page: number, items: readonly PdfTextItem[]): { page: PageText; spans: ItemSpan[] } {
  const lines: { text: string; items: { item: number; start: number; end: number }[] }[] = [{ text: "", items: [] }];
  for (const [index, item] of items.entries()) {
    const line = lines[lines.length - 1]!;
    line.items.push({ item: index, start: line.text.length, end: line.text.length + item.str.length });
    line.text += item.str;
    if (item.hasEOL) lines.push({ text: "", items: [] });
  }
  const text = pageFromBlocks(
    page,
    lines.map((line) => ({ text: line.text, heading: null })),
    "\n",
  );
  // pageFromBlocks collapses runs of spaces and trims each line, and skips empty ones: follow it.
  const spans: ItemSpan[] = [];
  let block = 0;
  for (const line of lines) {
    const cleaned = cleanOffsets(line.text);
    if (cleaned.length === 0) continue;
    const at = text.blocks[block++]!.start;
    for (const span of line.items) {
      const start = at + cleaned.map[span.start]!;
      const end = at + cleaned.map[span.end]!;
      if (end > start) spans.push({ item: span.item, start, end });
    }
  }
  return { page: text, spans };
}

/**
 * Where each character of a line lands once it is cleaned as pageFromBlocks cleans it (runs of
 * spaces and tabs made one space, then trimmed): `map[i]` for each raw offset i (and the end).
 */
function cleanOffsets(raw: string): { length: number; map: number[] } {
  const blank = (ch: string | undefined) => ch === " " || ch === "\t";
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
