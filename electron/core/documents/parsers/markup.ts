import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { pageFromBlocks, type ParsedDocument } from "../parsedDocument";

const BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, blockquote, pre, td, th, dt, dd";

/** HTML's main text (Readability drops navigation, ads and footers), by block, under its headings. */
export function parseHtml(html: string): ParsedDocument {
  const { document } = parseHTML(html);
  const article = new Readability(document as unknown as Document).parse();
  const main = article?.content ? parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document : document;
  return { format: "html", pages: [pageFromBlocks(1, blocksOf(main.body as unknown as Element, article?.title ?? null))], pagesWithoutText: [], pagesRead: [] };
}

/** A Word file's HTML (from mammoth), by block, under its headings. */
export function blocksFromWordHtml(html: string): ParsedDocument {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return { format: "docx", pages: [pageFromBlocks(1, blocksOf(document.body as unknown as Element, null))], pagesWithoutText: [], pagesRead: [] };
}

/** Block elements in order, each with the path of headings above it; a block inside another counts once. */
function blocksOf(root: Element, title: string | null): { text: string; heading: string | null }[] {
  const headings: string[] = [];
  const blocks: { text: string; heading: string | null }[] = [];
  for (const element of Array.from(root.querySelectorAll(BLOCKS))) {
    if (element.parentElement?.closest(BLOCKS)) continue;
    const text = element.textContent ?? "";
    const level = /^H([1-6])$/.exec(element.tagName)?.[1];
    if (level) {
      headings.length = Number(level) - 1;
      headings[Number(level) - 1] = text.trim();
    }
    const path = headings.filter(Boolean);
    blocks.push({ text, heading: path.length ? path.join(" > ") : title });
  }
  return blocks;
}
