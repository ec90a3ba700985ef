import { pageFromBlocks, type ParsedDocument } from "../parsedDocument";

/** Plain text by paragraph (blank lines between). */
export function parseText(text: string): ParsedDocument {
  return {
    format: "text",
    pages: [
      pageFromBlocks(
        1,
        paragraphs(text).map((p) => ({ text: p, heading: null })),
      ),
    ],
    pagesWithoutText: [],
    pagesRead: [],
  };
}

/** Markdown by paragraph, each under the `#` headings above it (headings are blocks of their own). */
export function parseMarkdown(text: string): ParsedDocument {
  const headings: string[] = [];
  const blocks: { text: string; heading: string | null }[] = [];
  let fenced = false;
  for (const paragraph of paragraphs(text)) {
    const heading = fenced ? null : /^(#{1,6})\s+(.+)$/.exec(paragraph.split("\n")[0]!);
    if (heading) {
      headings.length = heading[1]!.length - 1;
      headings[heading[1]!.length - 1] = heading[2]!.replace(/#+\s*$/, "").trim();
    }
    if ((paragraph.match(/^```/gm)?.length ?? 0) % 2 === 1) fenced = !fenced;
    const path = headings.filter(Boolean);
    blocks.push({ text: paragraph, heading: path.length ? path.join(" > ") : null });
  }
  return { format: "markdown", pages: [pageFromBlocks(1, blocks)], pagesWithoutText: [], pagesRead: [] };
}

function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
