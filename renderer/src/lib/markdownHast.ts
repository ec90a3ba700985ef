import type { Root, Text } from "hast";
import { urlAttributes } from "html-url-attributes";
import { defaultUrlTransform } from "react-markdown";
import rehypeKatex from "rehype-katex";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { rehypeHighlightShared } from "./rehypeHighlightShared";

// One frozen processor for the whole app: react-markdown builds a new one, and runs every plugin's
// set-up again, on each render, which was most of the cost of showing a message.
// remark-rehype without `allowDangerousHtml` drops raw HTML: model output is untrusted.
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkMath).use(remarkRehype).use(rehypeKatex).use(rehypeHighlightShared).freeze();
// What people type: a line break is a line break (remark-breaks), as they see it in the composer.
const typedProcessor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkBreaks)
  .use(remarkMath)
  .use(remarkRehype)
  .use(rehypeKatex)
  .use(rehypeHighlightShared)
  .freeze();

/**
 * Markdown (GFM, code, LaTeX) to a HTML syntax tree with no raw HTML and only safe URL protocols.
 * Plain data, so it also runs in a worker and crosses `postMessage`. `breaks`: every line break
 * is kept (a person's message), not only a paragraph's end.
 */
export function markdownToHast(text: string, { breaks = false }: { breaks?: boolean } = {}): Root {
  const chosen = breaks ? typedProcessor : processor;
  const tree = chosen.runSync(chosen.parse(text)) as Root;
  neutralizeUrls(tree);
  splitLongText(tree);
  return tree;
}

/** Text longer than this is split into several text nodes. */
const TEXT_CHUNK = 800;

/**
 * The browser re-shapes a whole text node when it changes. A growing paragraph or code listing,
 * split into chunks whose ends depend only on the text before them, changes only its last chunk.
 */
function splitLongText(tree: Root): void {
  visit(tree, "text", (node: Text, index, parent) => {
    if (!parent || index === undefined || node.value.length <= TEXT_CHUNK) return;
    const chunks = textChunks(node.value);
    parent.children.splice(index, 1, ...chunks.map((value): Text => ({ type: "text", value })));
    return index + chunks.length;
  });
}

/** Chunks of at least TEXT_CHUNK characters, each ending at a whitespace (or the end). */
export function textChunks(value: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (value.length - start > TEXT_CHUNK) {
    const space = value.slice(start + TEXT_CHUNK).search(/\s/);
    if (space < 0) break;
    const end = start + TEXT_CHUNK + space + 1;
    chunks.push(value.slice(start, end));
    start = end;
  }
  chunks.push(value.slice(start));
  return chunks;
}

/** A URL with `javascript:` or another unsafe protocol is dropped (react-markdown's rule); the element stays. */
function neutralizeUrls(tree: Root): void {
  visit(tree, "element", (node) => {
    for (const [property, tags] of Object.entries(urlAttributes)) {
      const value = node.properties[property];
      if (value === undefined || value === null || (tags !== null && !tags.includes(node.tagName))) continue;
      const safe = defaultUrlTransform(String(value));
      if (safe) node.properties[property] = safe;
      else delete node.properties[property];
    }
  });
}
