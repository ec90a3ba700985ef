/**
 * Splits Markdown into top-level blocks at blank lines outside fenced code, so a streaming reply
 * re-parses only its last, growing block instead of the whole text on every frame.
 */
export function markdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const marker = line.match(/^\s{0,3}(`{3,}|~{3,})/)?.[1];
    if (marker) {
      if (fence === null) fence = marker[0]!.repeat(marker.length);
      else if (marker.startsWith(fence)) fence = null;
    }
    if (fence === null && line.trim() === "" && current.length > 0 && !isListOrQuote(current)) {
      blocks.push(current.join("\n"));
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length > 0) blocks.push(current.join("\n"));
  return blocks;
}

/** A loose list or a quote may hold blank lines between its items: keep it whole. */
function isListOrQuote(lines: string[]): boolean {
  const first = lines.find((line) => line.trim() !== "") ?? "";
  return /^\s*([-*+]|\d+[.)])\s/.test(first) || /^\s*>/.test(first);
}
