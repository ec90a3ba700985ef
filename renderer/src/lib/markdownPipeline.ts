import type { Root } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import { urlAttributes } from "html-url-attributes";
import type { ReactElement } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { defaultUrlTransform } from "react-markdown";
import rehypeKatex from "rehype-katex";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { rehypeHighlightShared } from "./rehypeHighlightShared";

export type { Components };

// One frozen processor for the whole app: react-markdown builds a new one, and runs every plugin's
// set-up again, on each render, which was most of the cost of showing a message.
// remark-rehype without `allowDangerousHtml` drops raw HTML: model output is untrusted.
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkMath).use(remarkRehype).use(rehypeKatex).use(rehypeHighlightShared).freeze();

/** Markdown (GFM, code, LaTeX) to React elements, with no raw HTML and only safe URL protocols. */
export function markdownToReact(text: string, components: Components = {}): ReactElement {
  const tree = processor.runSync(processor.parse(text)) as Root;
  neutralizeUrls(tree);
  return toJsxRuntime(tree, { Fragment, jsx, jsxs, components, ignoreInvalidStyle: true, passKeys: true });
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
