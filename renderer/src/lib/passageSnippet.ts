/**
 * The part of a passage worth showing under a search result: the sentence holding the most of the
 * question's words (and the one after it), not the passage's first lines, which may be a header.
 */
export function passageSnippet(text: string, question: string, maxChars = 240): string {
  const words = new Set((question.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).map((w) => w.slice(0, 5)));
  const sentences = text.replace(/\s+/g, " ").match(/[^.!?]+[.!?]*\s*/g) ?? [text];
  let best = 0;
  let bestScore = -1;
  for (const [i, sentence] of sentences.entries()) {
    const score = (sentence.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => words.has(w.slice(0, 5))).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  const snippet = sentences
    .slice(best, best + 2)
    .join("")
    .trim();
  const shown = snippet.length > maxChars ? `${snippet.slice(0, maxChars - 1).trimEnd()}…` : snippet;
  return `${best > 0 ? "… " : ""}${shown}`;
}
