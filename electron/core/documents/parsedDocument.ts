/** A document's text as Hearth indexes and shows it: page by page (PDF), or one page of the whole text. */
export interface ParsedDocument {
  format: DocumentFormat;
  /** In order; a PDF's page numbers are 1-based and every page is listed, empty or not. */
  pages: PageText[];
  /** Pages (1-based) that had no text layer, so nothing of them could be indexed. */
  pagesWithoutText: number[];
  /** Pages (1-based) with no text layer whose text was read by OCR. */
  pagesRead: number[];
}

export interface PageText {
  /** 1-based page of a PDF; 1 for formats without pages. */
  page: number;
  text: string;
  /** The paragraphs of `text`: where each starts and ends, and the headings above it (others than PDF). */
  blocks: TextBlock[];
}

export interface TextBlock {
  start: number;
  end: number;
  /** The headings this block sits under, outermost first ("Terms > Renewal"), or null. */
  heading: string | null;
}

export const DOCUMENT_FORMATS = ["pdf", "docx", "html", "markdown", "text"] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Builds a page's text from its blocks, `separator` between them, keeping each block's span. */
export function pageFromBlocks(page: number, blocks: { text: string; heading: string | null }[], separator = "\n\n"): PageText {
  let text = "";
  const spans: TextBlock[] = [];
  for (const block of blocks) {
    const clean = block.text.replace(/[ \t]+/g, " ").trim();
    if (!clean) continue;
    if (text) text += separator;
    spans.push({ start: text.length, end: text.length + clean.length, heading: block.heading });
    text += clean;
  }
  return { page, text, blocks: spans };
}
