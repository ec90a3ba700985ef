import type { Element, ElementContent, Root, Text } from "hast";
import { SKIP, visit } from "unist-util-visit";

/** "[1]", "[2, 3]" or "[1][2]": the numbers a reply cites its sources by. */
const CITATION = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;
/** Where brackets are code or a link's text, not a citation. */
const LITERAL = new Set(["code", "pre", "a", "kbd", "samp"]);

/**
 * A reply's "[n]" marks, where n is one of its `count` sources, as `<sup data-cite="n">`
 * elements (the chat turns them into buttons that open the passage's page). Numbers past the
 * sources a reply was given, and brackets in code or links, stay text. Changes the tree in place.
 */
export function linkCitations(tree: Root, count: number): Root {
  if (count <= 0) return tree;
  visit(tree, (node, index, parent) => {
    if (node.type === "element" && LITERAL.has((node as Element).tagName)) return SKIP;
    if (node.type !== "text" || !parent || index === undefined) return;
    const parts = citationParts((node as Text).value, count);
    if (!parts) return;
    parent.children.splice(index, 1, ...parts);
    return index + parts.length;
  });
  return tree;
}

function citationParts(value: string, count: number): ElementContent[] | null {
  const parts: ElementContent[] = [];
  let last = 0;
  for (const match of value.matchAll(CITATION)) {
    const numbers = match[1]!.split(",").map((n) => Number(n.trim()));
    if (numbers.some((n) => n < 1 || n > count)) continue;
    if (match.index > last) parts.push({ type: "text", value: value.slice(last, match.index) });
    for (const n of numbers)
      parts.push({ type: "element", tagName: "sup", properties: { dataCite: String(n) }, children: [{ type: "text", value: `[${n}]` }] });
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return null;
  if (last < value.length) parts.push({ type: "text", value: value.slice(last) });
  return parts;
}
