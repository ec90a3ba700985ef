import type { Element, Root } from "hast";
import { toText } from "hast-util-to-text";
import { common, createLowlight } from "lowlight";
import { visit } from "unist-util-visit";

// One highlighter for the whole app. rehype-highlight builds a new one (registering every grammar)
// each time a Markdown processor is made, which react-markdown does on every render.
const lowlight = createLowlight(common);

/** Highlights fenced code that names a registered language; other code stays plain. */
export function rehypeHighlightShared() {
  return (tree: Root) => {
    visit(tree, "element", (node: Element, _index, parent) => {
      if (node.tagName !== "code" || !parent || parent.type !== "element" || parent.tagName !== "pre") return;
      const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : [];
      const language = classes.find((name) => name.startsWith("language-"))?.slice("language-".length);
      if (!language || !lowlight.registered(language)) return;
      const result = lowlight.highlight(language, toText(node, { whitespace: "pre" }));
      node.properties.className = ["hljs", ...classes];
      node.children = result.children as Element["children"];
    });
  };
}
